import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certifyReference } from '../../../src/app/reference-run.js';
import { loadWorld } from '../../../src/config/world/load.js';
import type { World } from '../../../src/config/world/types.js';
import type { ChecklistItem } from '../../../src/harness/report/model.js';
import { defaultScenariosDir, knownActors, loadScenarios, type Scenario } from '../../../src/harness/scenario/load.js';
import type { Role } from '../../../src/oicp/operations.js';
import {
  REFERENCE_FAULT_NAMES,
  REFERENCE_FAULTS,
  type ReferenceFaultName,
} from '../../../src/partners/reference/faults.js';
import {
  quirkSkips,
  REFERENCE_QUIRK_NAMES,
  REFERENCE_QUIRKS,
  type ReferenceQuirkName,
} from '../../../src/partners/reference/quirks.js';
import { silentLogger } from '../../../src/shared/log.js';

/**
 * The self-test's one operation: the catalogue's scenarios of a role, run through `certifyReference` (the path
 * `hbs-sim demo` takes) against the reference partner with some faults switched on, in a scratch folder (its own
 * certificates and reports). Returns each item's outcome by checklist ID.
 */

/**
 * Twice the demo's 0.02: every scaled limit (the 10 s latency best practice, HBS's 10 s authorize timeout) keeps
 * 400 ms of real time, headroom for a CI machine busy with other test files, while every fault still overshoots
 * its limit by half (15 s against 10 s).
 */
export const SELFTEST_TIME_SCALE = 0.04;

export interface Catalogue {
  world: World;
  scenarios: Scenario[];
  cwd: string;
  close(): Promise<void>;
}

export async function openCatalogue(): Promise<Catalogue> {
  const world = await loadWorld();
  const scenarios = await loadScenarios([defaultScenariosDir()], knownActors(world), process.cwd());
  const cwd = await mkdtemp(join(tmpdir(), 'hbs-selftest-'));
  return { world, scenarios, cwd, close: () => rm(cwd, { recursive: true, force: true }) };
}

/**
 * Opens the catalogue (scratch folder included) before the file's tests and closes it after; `prepare` may add to it.
 * Returns the getter the tests read it through.
 */
export function useCatalogue(prepare?: (c: Catalogue) => void): () => Catalogue {
  let catalogue: Catalogue | undefined;
  beforeAll(async () => {
    catalogue = await openCatalogue();
    prepare?.(catalogue);
  }, 60_000);
  afterAll(() => catalogue?.close());
  return () => catalogue!;
}

export async function runAgainstReference(
  c: Catalogue,
  role: Role,
  ids: readonly string[] | 'all',
  faults: readonly ReferenceFaultName[] = [],
  quirks: readonly ReferenceQuirkName[] = [],
  /** Through the reference CPO's charge points (`demo --ocpp`); on by itself for a fault of its CSMS. */
  ocpp = faults.some((f) => isOcppFault(f)),
): Promise<Map<string, ChecklistItem>> {
  const scenarios = c.scenarios.filter((s) => s.role === role && (ids === 'all' || ids.includes(s.id)));
  const realTime = faults.some((f) => (REFERENCE_FAULTS[f] as { realTime?: boolean }).realTime);
  const silent = { onEvent: () => undefined, failures: () => [] };
  const label = [...faults, ...quirks, ...(ocpp ? ['ocpp'] : [])].join('+') || 'none';
  const result = await certifyReference({
    role,
    world: c.world,
    scenarios,
    cwd: c.cwd,
    timeScale: realTime ? 1 : SELFTEST_TIME_SCALE,
    logger: silentLogger(),
    progress: silent,
    outDir: join(c.cwd, 'reports', `${role}-${label}`),
    faults,
    quirks,
    reporters: ['json'],
    latest: false,
    ...(ocpp ? { ocpp: true } : {}),
  });
  return new Map(result.report.items.map((i) => [i.id, i]));
}

export function faultsOf(role: Role): ReferenceFaultName[] {
  return REFERENCE_FAULT_NAMES.filter((n) => REFERENCE_FAULTS[n].role === role);
}

/** A fault of the reference CPO's CSMS, which shows only through its charge points. */
export function isOcppFault(f: ReferenceFaultName): boolean {
  return (REFERENCE_FAULTS[f] as { ocpp?: boolean }).ocpp === true;
}

/** What an OCPP item gives without charge points: skipped, saying how to run it. */
export const OCPP_SKIP = /^skipped: compares the CPO with its charge points: give the partner profile an `ocpp:` block/;

/** Each item's outcome, and for one that did not pass, why. */
export function outcomesOf(items: Map<string, ChecklistItem>): Record<string, string> {
  return Object.fromEntries(
    [...items.values()].map((i) => [
      i.id,
      i.outcome === 'passed' ? 'passed' : `${i.outcome}: ${i.reason?.message ?? failedChecks(i)}`,
    ]),
  );
}

/**
 * The self-test of one role: the whole catalogue of that role passes against the correct reference partner, and
 * each fault makes every scenario it targets fail — with that scenario's checklist ID, as a failure of the partner
 * (not a harness error). One file per role so the two run on both CI cores.
 */
export function defineSelftest(role: Role): void {
  const catalogue = useCatalogue();

  describe(`the reference ${role}`, () => {
    it(`passes every ${role} scenario of the catalogue (those through OCPP are skipped, saying why)`, async () => {
      const items = await runAgainstReference(catalogue(), role, 'all');
      const outcomes = outcomesOf(items);
      const mine = catalogue().scenarios.filter((s) => s.role === role);
      expect(outcomes).toEqual(Object.fromEntries(mine.map((s) => [s.id, s.ocpp ? outcomes[s.id] : 'passed'])));
      for (const s of mine.filter((x) => x.ocpp)) expect(outcomes[s.id]).toMatch(OCPP_SKIP);
    }, 180_000);

    // The CSMS's faults run in ocpp.test.ts, through the charge points.
    for (const fault of faultsOf(role).filter((f) => !isOcppFault(f))) {
      const targets: readonly string[] = REFERENCE_FAULTS[fault].targets;
      it(`with ${fault}: ${targets.join(', ')} fail`, async () => {
        const items = await runAgainstReference(catalogue(), role, targets, [fault]);
        const outcomes = Object.fromEntries(targets.map((id) => [id, items.get(id)?.outcome ?? 'not run']));
        expect(outcomes).toEqual(Object.fromEntries(targets.map((id) => [id, 'failed'])));
      }, 120_000);
    }
  });
}

/**
 * Faults run with every quirk of their role, two a role to keep the self-test short: one in what the partner
 * answers HBS (an error answer, which closeAfterError and slowAnswers act on) and one in what it sends or does.
 */
export const FAULTS_WITH_QUIRKS = {
  CPO: ['genericRefusal', 'ownSessionId'],
  EMP: ['cdr500', 'retryOnFailure'],
} as const satisfies Record<Role, readonly ReferenceFaultName[]>;

/**
 * closeAfterError acts on every error answer, so it is the quirk most likely to hide a fault in what the partner
 * answers: it runs with all of them.
 */
const ANSWER_FAULTS = {
  CPO: ['codeAsNumber', 'sessionIdNotEchoed', 'acceptUnknownEvse', 'remoteStopIgnored', 'doubleReservation'],
  EMP: ['authorizeUnknownTokens', 'undefinedStatusCode', 'authorizeStopAnyCard', 'errorNotificationRefused'],
} as const satisfies Record<Role, readonly ReferenceFaultName[]>;

/** The faults the self-test runs with a quirk on. */
export function faultsWithQuirk(quirk: ReferenceQuirkName, role: Role): ReferenceFaultName[] {
  return [...FAULTS_WITH_QUIRKS[role], ...(quirk === 'closeAfterError' ? ANSWER_FAULTS[role] : [])];
}

/**
 * The self-test of the quirks of one role: the correct partner with each quirk on passes every item of the
 * catalogue that applies (the items the quirk skips are skipped, saying why, and no other), and a few faults
 * with the quirk on still fail exactly the items they target.
 */
export function defineQuirkSelftest(role: Role): void {
  const catalogue = useCatalogue();

  describe(`the reference ${role} with a quirk`, () => {
    for (const quirk of quirksOf(role)) {
      const skips = quirkSkips(quirk, role);
      it(`with ${quirk}: every ${role} item that applies passes${skips.length ? `, ${skips.join(', ')} are skipped` : ''}`, async () => {
        const items = await runAgainstReference(catalogue(), role, 'all', [], [quirk]);
        const outcomes = outcomesOf(items);
        const mine = catalogue().scenarios.filter((s) => s.role === role);
        const expected = Object.fromEntries(
          mine.map((s) => [s.id, skips.includes(s.id) || s.ocpp ? outcomes[s.id] : 'passed']),
        );
        expect(outcomes).toEqual(expected);
        for (const id of skips) expect(outcomes[id]).toMatch(/^skipped: the partner profile has no \w+ service type/);
        for (const s of mine.filter((x) => x.ocpp && !skips.includes(x.id))) expect(outcomes[s.id]).toMatch(OCPP_SKIP);
      }, 240_000);

      for (const fault of faultsWithQuirk(quirk, role)) {
        const targets: readonly string[] = REFERENCE_FAULTS[fault].targets;
        it(`with ${quirk} and ${fault}: ${targets.join(', ')} fail`, async () => {
          const items = await runAgainstReference(catalogue(), role, targets, [fault], [quirk]);
          const outcomes = Object.fromEntries(targets.map((id) => [id, items.get(id)?.outcome ?? 'not run']));
          expect(outcomes).toEqual(Object.fromEntries(targets.map((id) => [id, 'failed'])));
        }, 120_000);
      }
    }
  });
}

export function quirksOf(role: Role): ReferenceQuirkName[] {
  return REFERENCE_QUIRK_NAMES.filter((n) => (REFERENCE_QUIRKS[n].roles as readonly Role[]).includes(role));
}

function failedChecks(i: ChecklistItem): string {
  return JSON.stringify(
    i.steps
      .filter((s) => s.outcome !== 'passed')
      .map((s) => [
        s.title,
        s.checks
          .filter((c) => c.outcome !== 'passed')
          .map((c) => c.message ?? `${c.title}: ${JSON.stringify(c.actual)}`),
      ]),
  );
}
