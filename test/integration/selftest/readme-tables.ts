import type { Scenario } from '../../../src/harness/scenario/load.js';
import { REFERENCE_FAULT_NAMES, REFERENCE_FAULTS } from '../../../src/partners/reference/faults.js';

/**
 * The README's catalogue and self-test tables, generated from the scenarios and src/partners/reference/faults.ts so they
 * cannot drift: coverage.test.ts compares them with the README (UPDATE_README=1 rewrites them there).
 */

export const MARKERS = {
  catalogue: ['<!-- catalogue:begin -->', '<!-- catalogue:end -->'],
  selftest: ['<!-- selftest:begin -->', '<!-- selftest:end -->'],
} as const;

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function catalogueTable(scenarios: readonly Scenario[]): string {
  const rows = [...scenarios]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(
      (s) =>
        `| ${s.id} | ${cell(s.title)} | ${s.mandatory ? 'M' : 'O'}${s.requires?.length ? ` (needs ${s.requires.join(', ')})` : ''} | ${cell(s.spec)} |`,
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

/** Replaces the text between a pair of markers. */
export function between(text: string, [begin, end]: readonly [string, string], content: string): string {
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${begin} … ${end} block`);
  return `${text.slice(0, i + begin.length)}\n${content}\n${text.slice(j)}`;
}
