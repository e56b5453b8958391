import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { catalogueTriggers, starterProfile } from '../../../src/app/starter-profile.js';
import { loadWorld } from '../../../src/config/world/load.js';
import type { World } from '../../../src/config/world/types.js';
import { defaultScenariosDir, knownActors, loadScenarios, type Scenario } from '../../../src/harness/scenario/load.js';
import { loadProfile, type PartnerProfile } from '../../../src/harness/scenario/profile.js';
import { missingTestData, testDataProblems } from '../../../src/harness/scenario/test-data.js';
import type { Role } from '../../../src/oicp/operations.js';

/**
 * `hbs-sim init` and the examples: a starter profile computed from the catalogue loads, feeds every item of its role
 * and has a trigger for every trigger the items call; it grows with the catalogue; the examples are its output, so
 * they cannot fall behind.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCHEMA = '../scenarios/schema/partner-profile.schema.json';
const ROLES: Role[] = ['CPO', 'EMP'];
let world: World;
let catalogue: Scenario[];
let dir: string | undefined;

beforeAll(async () => {
  world = await loadWorld();
  catalogue = await loadScenarios([defaultScenariosDir()], knownActors(world));
});
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function load(text: string): Promise<PartnerProfile> {
  dir ??= await mkdtemp(join(tmpdir(), 'hbs-sim-starter-'));
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, text);
  return loadProfile(file);
}

/** Every way a profile can fail a catalogue before any traffic: test data short or doubled, a trigger missing. */
function gaps(profile: PartnerProfile, scenarios: Scenario[]): string[] {
  const own = scenarios.filter((s) => s.role === profile.partner.role);
  return [
    ...testDataProblems(own, profile),
    ...own.flatMap((s) => missingTestData(s, profile).map((n) => `${s.id}: ${n}`)),
    ...[...catalogueTriggers(own).keys()].filter((t) => !profile.triggers[t]).map((t) => `no trigger ${t}`),
    ...own.flatMap((s) =>
      (s.requires ?? []).filter((t) => !profile.partner.serviceTypes[t]).map((t) => `${s.id}: ${t}`),
    ),
  ];
}

describe('starter profiles (hbs-sim init)', () => {
  for (const role of ROLES) {
    it(`the ${role} one loads and feeds the whole ${role} catalogue, every trigger included`, async () => {
      const text = await starterProfile({ role, world, scenarios: catalogue, schemaPath: SCHEMA });
      const profile = await load(text);
      expect(profile.partner.id).toBe(role === 'CPO' ? 'DE*RCP' : 'DE-REM');
      expect(gaps(profile, catalogue)).toEqual([]);
      expect(text).toContain('# REPLACE');
    });
  }

  it('grows with the catalogue: one more entry needed is one more entry written, in a valid format', async () => {
    const [base] = catalogue.filter((s) => s.id === 'CPO-04');
    const more: Scenario = {
      ...base!,
      id: 'CPO-99',
      steps: [{ trigger: 'wave', with: { evseId: '{{partner.evseIds[6]}}', uid: '{{partner.uids[2]}}' } }],
    };
    const bigger = [...catalogue, more];
    const before = await load(await starterProfile({ role: 'CPO', world, scenarios: catalogue, schemaPath: SCHEMA }));
    // The requirement computation finds what the old profile lacks for the bigger catalogue …
    expect(gaps(before, bigger)).toEqual([
      expect.stringMatching(/^testData\.evseIds: 7 EVSEs needed, 6 given .*\(evseIds\[6\] by CPO-99\)/),
      expect.stringMatching(/^testData\.uids: 3 cards needed, 2 given .*\(uids\[2\] by CPO-99\)/),
      'CPO-99: partner.evseIds[6]',
      'CPO-99: partner.uids[2]',
      'no trigger wave',
    ]);
    // … and the generator, using it, writes what the bigger catalogue needs.
    const after = await load(await starterProfile({ role: 'CPO', world, scenarios: bigger, schemaPath: SCHEMA }));
    expect(after.testData.evseIds).toHaveLength(7);
    expect(after.testData.uids).toHaveLength(3);
    expect(after.triggers.wave?.http?.url).toBe('http://127.0.0.1:9544/test/wave');
    expect(gaps(after, bigger)).toEqual([]);
  });

  for (const role of ROLES) {
    const file = `examples/partner-${role.toLowerCase()}.yaml`;
    it(`${file} is the starter profile, so it loads and lacks no test data for the ${role} catalogue`, async () => {
      const profile = await loadProfile(join(ROOT, file));
      expect(gaps(profile, catalogue)).toEqual([]);
      const expected = await starterProfile({ role, world, scenarios: catalogue, schemaPath: SCHEMA });
      // Regenerate with: npx hbs-sim init <role> --out examples/partner-<role>.yaml --force
      expect(await readFile(join(ROOT, file), 'utf8')).toBe(expected);
    });
  }
});
