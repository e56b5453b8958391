import type { Scenario } from '../../../src/harness/scenario/load.js';
import { REFERENCE_FAULT_NAMES, REFERENCE_FAULTS } from '../../../src/partners/reference/faults.js';
import { quirkSkips, REFERENCE_QUIRK_NAMES, REFERENCE_QUIRKS } from '../../../src/partners/reference/quirks.js';
import { faultsWithQuirk } from './harness.js';

/**
 * The README's catalogue and self-test tables, generated from the scenarios and src/partners/reference/faults.ts so they
 * cannot drift: coverage.test.ts compares them with the README (UPDATE_README=1 rewrites them there).
 */

export const MARKERS = {
  catalogue: ['<!-- catalogue:begin -->', '<!-- catalogue:end -->'],
  selftest: ['<!-- selftest:begin -->', '<!-- selftest:end -->'],
  quirks: ['<!-- quirks:begin -->', '<!-- quirks:end -->'],
} as const;

const cell = (s: string): string => s.replace(/\|/g, '\\|');
/** What an item needs of the partner beyond the catalogue's defaults: service types, charge points over OCPP. */
const needs = (s: Scenario): string => [...(s.requires ?? []), ...(s.ocpp ? ['ocpp charge points'] : [])].join(', ');

export function catalogueTable(scenarios: readonly Scenario[]): string {
  const rows = [...scenarios]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(
      (s) =>
        `| ${s.id} | ${cell(s.title)} | ${s.mandatory ? 'M' : 'O'}${needs(s) ? ` (needs ${needs(s)})` : ''} | ${cell(s.spec)} |`,
    );
  return ['| ID | Checks that | M/O | Where the rule is written |', '|---|---|---|---|', ...rows].join('\n');
}

export function selftestTable(scenarios: readonly Scenario[]): string {
  const ids = [...scenarios].map((s) => s.id).sort((a, b) => a.localeCompare(b));
  const rows = ids.map((id) => {
    const faults = REFERENCE_FAULT_NAMES.filter((n) => (REFERENCE_FAULTS[n].targets as readonly string[]).includes(id));
    return `| ${id} | passed | ${faults.map((f) => `\`${f}\` — ${cell(REFERENCE_FAULTS[f].description)}`).join('<br>')} | failed, as ${id} |`;
  });
  return [
    '| Scenario | Reference partner | Fault switched on (`--fault`) | Outcome with the fault |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The quirks beside the faults: what each does, what the correct partner gets with it, which faults run with it. */
export function quirkTable(): string {
  const rows = REFERENCE_QUIRK_NAMES.flatMap((n) =>
    REFERENCE_QUIRKS[n].roles.map((role) => {
      const skips = quirkSkips(n, role);
      const faults = faultsWithQuirk(n, role).map((f) => `\`${f}\` fails ${REFERENCE_FAULTS[f].targets.join(', ')}`);
      return `| \`${n}\` | ${role} | ${cell(REFERENCE_QUIRKS[n].description)} | every ${role} item passes${skips.length ? `; ${skips.join(', ')} skipped (service type not declared)` : ''} | ${faults.join('<br>')} |`;
    }),
  );
  return [
    '| Quirk (`--quirk`) | Partner | What it does | Correct partner with the quirk | Faults with the quirk: outcome |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Replaces the text between a pair of markers. */
export function between(text: string, [begin, end]: readonly [string, string], content: string): string {
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${begin} … ${end} block`);
  return `${text.slice(0, i + begin.length)}\n${content}\n${text.slice(j)}`;
}
