import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { worldWithPartner } from '../../../src/app/certify.js';
import { preflight } from '../../../src/app/preflight.js';
import type { PartnerProfile } from '../../../src/harness/scenario/profile.js';
import { createLogger } from '../../../src/shared/log.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';
import { startTestCsms, type TestCsms } from '../../helpers/csms.js';
import { closedPort } from '../../helpers/listeners.js';
import { acmeUnderTest, testWorld } from '../../helpers/world.js';

/** `hbs-sim check` boots each charge point of the profile at the CSMS and names the one it refuses. */

let certs: TestCerts;
let csms: TestCsms | undefined;
beforeAll(async () => {
  certs = await makeTestCerts([{ key: 'backend', id: 'DE*ACM', role: 'CPO', name: 'ACME' }]);
});
afterAll(() => certs.cleanup());
afterEach(async () => {
  await csms?.close();
  csms = undefined;
});

function profile(url: string): PartnerProfile {
  return {
    file: 'partner.yaml',
    partner: acmeUnderTest(),
    testData: { evseIds: [], uids: [], evcoIds: [], qrCodes: [] },
    triggers: {},
    ocpp: {
      url,
      chargePoints: [
        { id: 'CP-1', connectors: [{ connectorId: 1, evseId: 'DE*ACM*E0001*1' }] },
        { id: 'CP-2', connectors: [{ connectorId: 1, evseId: 'DE*ACM*E0002*1' }] },
      ],
    },
  };
}

function check(p: PartnerProfile, ocpp?: boolean) {
  return preflight({
    world: worldWithPartner(testWorld({ certsDir: certs.dir }), p),
    profile: p,
    scenarios: [],
    cwd: certs.dir,
    logger: createLogger({ level: 'silent' }),
    interactive: false,
    timeoutMs: 2000,
    ...(ocpp === undefined ? {} : { ocpp }),
  });
}

describe('preflight of a profile with charge points', () => {
  it('boots each one and passes when the CSMS accepts them', async () => {
    csms = await startTestCsms();
    const r = await check(profile(csms.url));
    expect(r.checks.filter((c) => c.kind === 'ocpp')).toEqual([
      { kind: 'ocpp', subject: `charge point CP-1 at ${csms.url}`, ok: true, note: 'BootNotification Accepted' },
      { kind: 'ocpp', subject: `charge point CP-2 at ${csms.url}`, ok: true, note: 'BootNotification Accepted' },
    ]);
    expect(r.exitCode).toBe(0);
  });

  it('names the charge point the CSMS rejects, with the fix, exit 3', async () => {
    csms = await startTestCsms({
      answers: {
        BootNotification: () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }),
      },
      password: 'only-for-cp-1',
    });
    const p = profile(csms.url);
    p.ocpp!.chargePoints[0]!.password = 'only-for-cp-1';
    const r = await check(p);
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: 'OCPP_CONNECT_FAILED',
        subject: `charge point CP-2 at ${csms.url}`,
        seen: expect.stringContaining('HTTP 401'),
        fix: expect.stringContaining('password in partner.yaml'),
      }),
    ]);
    expect(r.exitCode).toBe(3);
  });

  it('a rejected boot is OCPP_BOOT_NOT_ACCEPTED; nothing listening is OCPP_CONNECT_FAILED', async () => {
    csms = await startTestCsms({
      answers: {
        BootNotification: () => ({ status: 'Rejected', currentTime: new Date().toISOString(), interval: 60 }),
      },
    });
    expect((await check(profile(csms.url))).problems.map((d) => d.code)).toEqual([
      'OCPP_BOOT_NOT_ACCEPTED',
      'OCPP_BOOT_NOT_ACCEPTED',
    ]);
    const down = await check(profile(`ws://127.0.0.1:${await closedPort()}/ocpp`));
    expect(down.problems.map((d) => d.code)).toEqual(['OCPP_CONNECT_FAILED', 'OCPP_CONNECT_FAILED']);
  });

  it('with ocpp: false (run) boots nothing: the run boots them itself', async () => {
    csms = await startTestCsms();
    const r = await check(profile(csms.url), false);
    expect(r.checks.filter((c) => c.kind === 'ocpp')).toEqual([]);
    expect(csms.calls).toEqual([]);
  });
});
