import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadWorld } from '../../../src/config/world/load.js';
import { type EngineContext, runScenario } from '../../../src/harness/scenario/engine.js';
import { defaultScenariosDir, knownActors, loadScenarios, type Scenario } from '../../../src/harness/scenario/load.js';
import type { PartnerProfile } from '../../../src/harness/scenario/profile.js';
import {
  missingTestData,
  missingTestDataMessage,
  testDataNeeds,
  testDataProblems,
} from '../../../src/harness/scenario/test-data.js';

/**
 * A scenario names the partner's test data as {{partner.…}}; a profile without it must be found out before any
 * traffic: optional items are skipped with a message naming the missing keys, mandatory ones are not judged.
 */

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function scenario(mandatory: boolean): Promise<Scenario> {
  dir = await mkdtemp(join(tmpdir(), 'hbs-sim-testdata-'));
  const text = [
    'version: 1',
    'id: EMP-12',
    'title: T',
    'role: EMP',
    'section: authenticationData',
    `mandatory: ${mandatory}`,
    'spec: S',
    'steps:',
    '  - actor: virtual-cpo',
    '    action: scan-qr',
    '    with: { evseId: "DE*VCP*E0001*2", evcoId: "{{partner.qrCodes[0].evcoId}}", pin: "{{partner.qrCodes[0].pin}}0" }',
    '  - actor: virtual-cpo',
    '    action: swipe',
    '    with: { evseId: "DE*VCP*E0001*2", uid: "{{partner.uids[0]}}" }',
    '',
  ].join('\n');
  await writeFile(join(dir, 's.yaml'), text);
  const [s] = await loadScenarios([dir], knownActors(await loadWorld()));
  return s!;
}

function profile(testData: Partial<PartnerProfile['testData']>): PartnerProfile {
  const offline = { onlineRequest: false, broadcast: false, operationUrls: {}, clientCertification: false };
  return {
    file: 'p.yaml',
    partner: {
      key: 'under-test-derem',
      id: 'DE-REM',
      role: 'EMP',
      name: 'EMP',
      locked: false,
      subPartnerIds: [],
      serviceTypes: { authenticationData: offline },
    },
    testData: { evseIds: [], uids: [], evcoIds: [], qrCodes: [], ...testData },
    triggers: {},
  };
}

const FULL = { uids: ['5A6B7C8D'], qrCodes: [{ evcoId: 'DE-REM-C00000001-4', pin: '1357' }] };

describe('test data a scenario needs', () => {
  it('the loader accepts nested test data ({{partner.qrCodes[0].pin}}) inside longer text', async () => {
    const s = await scenario(false);
    expect(s.steps).toHaveLength(2);
  });

  it('names each placeholder the profile cannot fill, once, and nothing when it can', async () => {
    const s = await scenario(false);
    expect(missingTestData(s, profile({})).sort()).toEqual([
      'partner.qrCodes[0].evcoId',
      'partner.qrCodes[0].pin',
      'partner.uids[0]',
    ]);
    expect(missingTestData(s, profile({ uids: FULL.uids }))).toEqual([
      'partner.qrCodes[0].evcoId',
      'partner.qrCodes[0].pin',
    ]);
    expect(missingTestData(s, profile(FULL))).toEqual([]);
  });

  it('tells how many entries the item needs and how many are given, per kind, and that an ID may repeat', async () => {
    const s = await scenario(false);
    const text = missingTestDataMessage(s, profile({ uids: [] }));
    expect(text).toContain('{{partner.qrCodes[0].evcoId}}, {{partner.qrCodes[0].pin}}, {{partner.uids[0]}}');
    expect(text).toContain('testData.uids needs 1 cards for this item, 0 given.');
    expect(text).toContain('testData.qrCodes needs 1 contracts with a PIN for this item, 0 given.');
    expect(text).toContain('An ID may be listed more than once');
    expect(text).toContain('`npx hbs-sim init emp` writes a starter profile');
    // The examples once lacked the very entries the message sent the user to them for.
    expect(text).not.toContain('examples/');
  });

  it('says which item needs two different entries of a kind', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-sim-testdata-'));
    const text = [
      'version: 1',
      'id: EMP-10',
      'title: T',
      'role: EMP',
      'section: authorization',
      'mandatory: true',
      'spec: S',
      'steps:',
      '  - actor: virtual-cpo',
      '    action: swipe',
      '    with: { evseId: "DE*VCP*E0001*2", uid: "{{partner.uids[0]}}" }',
      '  - actor: virtual-cpo',
      '    action: swipe',
      '    with: { evseId: "DE*VCP*E0001*2", uid: "{{partner.uids[1]}}" }',
      '',
    ].join('\n');
    await writeFile(join(dir, 's.yaml'), text);
    const [s] = await loadScenarios([dir], knownActors(await loadWorld()));
    const message = missingTestDataMessage(s!, profile({ uids: ['5A6B7C8D'] }));
    expect(message).toContain('testData.uids needs 2 cards for this item, 1 given.');
    expect(message).toContain('except where one item uses two entries as different cards: EMP-10 (uids[0] and [1])');
  });

  it('the catalogue needs 6 EVSEs and 2 cards of a CPO; 2 cards, a contract and a QR code contract of an EMP', async () => {
    const world = await loadWorld();
    const all = await loadScenarios([defaultScenariosDir()], knownActors(world));
    const cpo = testDataNeeds(all.filter((s) => s.role === 'CPO'));
    const emp = testDataNeeds(all.filter((s) => s.role === 'EMP'));
    expect([cpo.evseIds.count, cpo.uids.count, cpo.evcoIds.count, cpo.qrCodes.count]).toEqual([6, 2, 0, 0]);
    expect([emp.evseIds.count, emp.uids.count, emp.evcoIds.count, emp.qrCodes.count]).toEqual([0, 2, 1, 1]);
    expect(cpo.evseIds.together).toContainEqual({ scenario: 'CPO-01', indexes: [0, 5] });
    expect(cpo.uids.together).toContainEqual({ scenario: 'CPO-06', indexes: [0, 1] });
  });

  it('names each kind a profile has too few of, with the items that need the missing ones, and an ID listed twice where an item needs two', async () => {
    const world = await loadWorld();
    const all = (await loadScenarios([defaultScenariosDir()], knownActors(world))).filter((s) => s.role === 'CPO');
    const cpo = (evseIds: string[], uids: string[]): PartnerProfile => {
      const p = profile({ evseIds, uids });
      return { ...p, partner: { ...p.partner, id: 'DE*RCP', role: 'CPO' } };
    };
    const problems = testDataProblems(all, cpo(['DE*RCP*E0001*1', 'DE*RCP*E0001*2'], ['04A1B2C3D4E5F6']));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^testData\.evseIds: 6 EVSEs needed, 2 given in p\.yaml \(evseIds\[2\] by CPO-05, CPO-11, CPO-11b;/,
    );
    expect(problems[1]).toMatch(/^testData\.uids: 2 cards needed, 1 given in p\.yaml \(uids\[1\] by CPO-06\)/);
    const six = ['1', '2', '3', '4', '5', '6'].map((n) => `DE*RCP*E000${n}*1`);
    expect(testDataProblems(all, cpo(six, ['04A1B2C3D4E5F6', '1A2B3C4D']))).toEqual([]);
    // The same EVSE five times is fine, but CPO-01 updates [0] after deleting [5]: those two must differ.
    const same = [six[0]!, six[0]!, six[0]!, six[0]!, six[0]!, six[0]!];
    expect(testDataProblems(all, cpo(same, ['04A1B2C3D4E5F6', '1A2B3C4D']))).toEqual([
      expect.stringContaining('testData.evseIds: CPO-01 (evseIds[0] and [5]) uses these entries as different EVSEs'),
    ]);
  });

  it('the engine skips an optional item and errors a mandatory one, before any step or progress event', async () => {
    const onProgress = vi.fn();
    const ctx = (p: PartnerProfile) =>
      ({ profile: p, clock: { now: () => new Date('2026-11-28T10:00:00Z') }, onProgress }) as unknown as EngineContext;
    const optional = await runScenario(await scenario(false), ctx(profile({ uids: FULL.uids })));
    expect(optional.skipped).toMatchObject({
      code: 'TEST_DATA_MISSING',
      message: expect.stringContaining('{{partner.qrCodes[0].pin}}'),
    });
    expect(optional.steps).toBeUndefined();
    const mandatory = await runScenario(await scenario(true), ctx(profile({})));
    expect(mandatory.error).toMatchObject({ code: 'TEST_DATA_MISSING' });
    expect(mandatory.skipped).toBeUndefined();
    expect(onProgress).not.toHaveBeenCalled();
  });
});
