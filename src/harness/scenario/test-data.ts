import type { Scenario } from './load.js';
import type { PartnerProfile } from './profile.js';
import { fill, placeholderNames } from './template.js';

/** The variables a scenario sees as `{{partner.…}}`: the partner's ID and its profile's test data. */
export function partnerVariables(profile: PartnerProfile): { partner: Record<string, unknown> } {
  return { partner: { id: profile.partner.id, ...profile.testData } };
}

/** The service types a scenario `requires` that the profile does not declare: the item is skipped without them. */
export function missingServices(s: Scenario, profile: PartnerProfile): string[] {
  return (s.requires ?? []).filter((t) => !profile.partner.serviceTypes[t]);
}

/**
 * The `{{partner.…}}` placeholders of a scenario that the profile's test data cannot fill (`partner.qrCodes[0].pin`
 * when the profile lists no qrCodes). Known before any traffic, so a run can refuse or skip the item up front
 * instead of failing halfway through it.
 */
export function missingTestData(s: Scenario, profile: PartnerProfile): string[] {
  const names = new Set(placeholderNames(JSON.stringify(s.steps)).filter((n) => n.startsWith('partner.')));
  const variables = partnerVariables(profile);
  return [...names].filter((n) => {
    try {
      fill(`{{${n}}}`, variables);
      return false;
    } catch {
      return true;
    }
  });
}

/** The lists of test data a scenario indexes: `{{partner.evseIds[2]}}`, `{{partner.qrCodes[0].pin}}`. */
export type TestDataKind = 'evseIds' | 'uids' | 'evcoIds' | 'qrCodes';
export const TEST_DATA_KINDS: readonly TestDataKind[] = ['evseIds', 'uids', 'evcoIds', 'qrCodes'];

/** What one entry of each kind stands for, in messages. */
const WHAT: Record<TestDataKind, string> = {
  evseIds: 'EVSEs',
  uids: 'cards',
  evcoIds: 'contracts',
  qrCodes: 'contracts with a PIN',
};

/** How many entries of one kind some scenarios need, and which of them must differ. */
export interface TestDataNeed {
  kind: TestDataKind;
  /** The highest index used, plus one. */
  count: number;
  /** For each index, the scenarios (checklist IDs) that use it. */
  usedBy: string[][];
  /** Scenarios using several entries of this kind in one item, as different ones (a second card, another EVSE). */
  together: Array<{ scenario: string; indexes: number[] }>;
}

const INDEXED = /^partner\.(evseIds|uids|evcoIds|qrCodes)(?:\[(\d+)\])?/;

/** The entries of each kind a scenario names, by index (`partner.evseIds` without an index counts as [0]). */
function indexesOf(s: Scenario): Map<TestDataKind, Set<number>> {
  const out = new Map<TestDataKind, Set<number>>();
  for (const name of placeholderNames(JSON.stringify(s.steps))) {
    const m = INDEXED.exec(name);
    if (!m) continue;
    const kind = m[1] as TestDataKind;
    const set = out.get(kind) ?? new Set<number>();
    set.add(Number(m[2] ?? 0));
    out.set(kind, set);
  }
  return out;
}

/**
 * The test data some scenarios need, computed from their placeholders: what `hbs-sim init` writes and what a run
 * checks a profile against, so neither can fall behind the catalogue.
 */
export function testDataNeeds(scenarios: readonly Scenario[]): Record<TestDataKind, TestDataNeed> {
  const needs = Object.fromEntries(
    TEST_DATA_KINDS.map((kind) => [kind, { kind, count: 0, usedBy: [], together: [] } as TestDataNeed]),
  ) as Record<TestDataKind, TestDataNeed>;
  for (const s of scenarios) {
    for (const [kind, indexes] of indexesOf(s)) {
      const need = needs[kind];
      for (const i of indexes) {
        need.count = Math.max(need.count, i + 1);
        while (need.usedBy.length <= i) need.usedBy.push([]);
        if (!need.usedBy[i]!.includes(s.id)) need.usedBy[i]!.push(s.id);
      }
      if (indexes.size > 1) need.together.push({ scenario: s.id, indexes: [...indexes].sort((a, b) => a - b) });
    }
  }
  return needs;
}

/** `CPO-01 (evseIds[0] and [5])`. */
function togetherText(kind: TestDataKind, t: { scenario: string; indexes: number[] }): string {
  const [first, ...rest] = t.indexes;
  return `${t.scenario} (${kind}[${first}] and ${rest.map((i) => `[${i}]`).join(' and ')})`;
}

/** Whether an ID may be listed twice, which holds across items (each item is torn down) but not within one. */
function repeatNote(kind: TestDataKind, together: TestDataNeed['together']): string {
  const base =
    'An ID may be listed more than once: items run one after another, each torn down before the next' +
    (kind === 'evseIds' ? ' (distinct EVSEs keep one that an item leaves blocked from skipping later items)' : '');
  if (together.length === 0) return `${base}.`;
  return `${base}, except where one item uses two entries as different ${WHAT[kind]}: ${together.map((t) => togetherText(kind, t)).join(', ')}.`;
}

function initHint(role: PartnerProfile['partner']['role']): string {
  return `\`npx hbs-sim init ${role.toLowerCase()}\` writes a starter profile with as many of each as the catalogue needs`;
}

/**
 * One problem per kind the profile has too few entries of for these scenarios, and per entry listed twice where an
 * item needs two different ones; empty when the profile feeds them all.
 */
export function testDataFieldProblems(
  scenarios: readonly Scenario[],
  profile: PartnerProfile,
): Array<{ field: `testData.${TestDataKind}`; problem: string }> {
  const needs = testDataNeeds(scenarios);
  const problems: Array<{ field: `testData.${TestDataKind}`; problem: string }> = [];
  for (const kind of TEST_DATA_KINDS) {
    const need = needs[kind];
    const given = profile.testData[kind];
    if (given.length < need.count) {
      const lacking = need.usedBy
        .map((ids, i) => [i, ids] as const)
        .filter(([i, ids]) => i >= given.length && ids.length > 0)
        .map(([i, ids]) => `${kind}[${i}] by ${ids.join(', ')}`);
      problems.push({
        field: `testData.${kind}`,
        problem:
          `${need.count} ${WHAT[kind]} needed, ${given.length} given in ${profile.file} (${lacking.join('; ')}). ` +
          `${repeatNote(kind, need.together)} ${initHint(profile.partner.role)}.`,
      });
    }
    for (const t of need.together) {
      const ids = t.indexes.map((i) => given[i]).filter((v) => v !== undefined);
      const keys = ids.map((v) => (typeof v === 'string' ? v : v.evcoId).toUpperCase());
      if (new Set(keys).size < keys.length)
        problems.push({
          field: `testData.${kind}`,
          problem: `${togetherText(kind, t)} uses these entries as different ${WHAT[kind]}, but ${profile.file} lists the same one twice there; give different ones`,
        });
    }
  }
  return problems;
}

/** testDataFieldProblems as lines, `testData.<kind>: <problem>`. */
export function testDataProblems(scenarios: readonly Scenario[], profile: PartnerProfile): string[] {
  return testDataFieldProblems(scenarios, profile).map((p) => `${p.field}: ${p.problem}`);
}

/** What to tell the user about one item: the values missing, how many entries it needs and how many are given. */
export function missingTestDataMessage(s: Scenario, profile: PartnerProfile): string {
  const missing = missingTestData(s, profile);
  const indexes = indexesOf(s);
  const parts = TEST_DATA_KINDS.flatMap((kind) => {
    const used = indexes.get(kind);
    if (!used || !missing.some((n) => INDEXED.exec(n)?.[1] === kind)) return [];
    const count = Math.max(...used) + 1;
    const together = used.size > 1 ? [{ scenario: s.id, indexes: [...used].sort((a, b) => a - b) }] : [];
    return [
      `testData.${kind} needs ${count} ${WHAT[kind]} for this item, ${profile.testData[kind].length} given. ${repeatNote(kind, together)}`,
    ];
  });
  return `the partner profile's testData has no value for ${missing.map((n) => `{{${n}}}`).join(', ')}: ${parts.join(' ')} ${initHint(profile.partner.role)}.`;
}
