import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadWorld } from '../../../src/config/world/load.js';
import { type EngineContext, runScenario } from '../../../src/harness/scenario/engine.js';
import { knownActors, loadScenarios, type Scenario } from '../../../src/harness/scenario/load.js';
import type { PartnerProfile } from '../../../src/harness/scenario/profile.js';
import { missingTestData, missingTestDataMessage } from '../../../src/harness/scenario/test-data.js';

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

  it('tells which keys to add under testData and where an example is', () => {
    const text = missingTestDataMessage(
      ['partner.qrCodes[0].evcoId', 'partner.qrCodes[0].pin', 'partner.uids[0]'],
      'EMP',
    );
    expect(text).toContain('add qrCodes, uids under testData');
    expect(text).toContain('examples/partner-emp.yaml');
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
