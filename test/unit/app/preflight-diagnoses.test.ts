import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { worldWithPartner } from '../../../src/app/certify.js';
import {
  diagnose,
  PREFLIGHT_CODES,
  type ProbeContext,
  type ProbeGroup,
  preflight,
} from '../../../src/app/preflight.js';
import type { Scenario } from '../../../src/harness/scenario/load.js';
import type { PartnerProfile } from '../../../src/harness/scenario/profile.js';
import { PROBE_FAILURES } from '../../../src/net/probe.js';
import { createLogger } from '../../../src/shared/log.js';
import { acmeUnderTest, testWorld } from '../../helpers/world.js';

/**
 * Every diagnosis the preflight can give says what to do: a fix that names the file, field, port or certificate
 * concerned, for each way a probe fails, for an endpoint and a trigger, and for the profile-only problems.
 */

const ctx: ProbeContext = {
  profileFile: 'partner.yaml',
  partner: acmeUnderTest(),
  certsDir: 'certs',
  hubTls: undefined,
  timeoutMs: 5000,
};

function group(kind: ProbeGroup['kind'], withCert: boolean): ProbeGroup {
  return {
    kind,
    entries: [
      { label: kind === 'endpoint' ? 'AuthorizeRemoteStart' : 'trigger swipe', url: 'https://127.0.0.1:9444/oicp' },
    ],
    url: 'https://127.0.0.1:9444/oicp',
    tls: withCert ? { ca: 'x', cert: 'c', key: 'k' } : { ca: 'x' },
    owners: [kind === 'endpoint' ? 'authorization' : 'swipe'],
    trust: "the run's CA, certs/ca.crt",
  };
}

const CONCRETE = /partner\.yaml|127\.0\.0\.1:9444|certs\/ca\.crt|certs\/hub\/client\.crt/;

describe('preflight diagnoses', () => {
  for (const failure of PROBE_FAILURES)
    for (const [kind, withCert] of [
      ['endpoint', true],
      ['endpoint', false],
      ['trigger', false],
    ] as const)
      it(`${failure} at a${kind === 'endpoint' ? 'n' : ''} ${kind}${withCert ? ' (client certificate presented)' : ''} names a fix`, () => {
        const d = diagnose({ ok: false, failure, stage: 'tls', detail: 'what was seen' }, group(kind, withCert), ctx);
        expect(Object.keys(PREFLIGHT_CODES)).toContain(d.code);
        expect(d.subject).toContain('https://127.0.0.1:9444/oicp');
        expect(d.seen).toContain('what was seen');
        expect(d.fix).toMatch(CONCRETE);
      });

  it('the profile-only problems (test data, a prompt in CI) name a fix and exit 2', async () => {
    const profile: PartnerProfile = {
      file: 'partner.yaml',
      partner: ctx.partner,
      testData: { evseIds: [], uids: [], evcoIds: [], qrCodes: [] },
      triggers: { swipe: { prompt: 'Swipe {{uid}}' } },
    };
    const scenario = {
      version: 1,
      id: 'CPO-07',
      title: 'T',
      role: 'CPO',
      section: 'authorization',
      mandatory: true,
      spec: 'S',
      steps: [{ trigger: 'swipe', with: { uid: '{{partner.uids[0]}}' } }],
      file: 'cpo-07.yaml',
    } as unknown as Scenario;
    const r = await preflight({
      world: worldWithPartner(testWorld(), profile),
      profile,
      scenarios: [scenario],
      cwd: '.',
      logger: createLogger({ level: 'silent' }),
      interactive: false,
      network: false,
    });
    expect(r.problems.map((p) => p.code)).toEqual(['TEST_DATA_MISSING', 'NEEDS_PERSON']);
    for (const p of r.problems) expect(p.fix).toContain('partner.yaml');
    expect(r.exitCode).toBe(2);
    const person = await preflight({
      world: worldWithPartner(testWorld(), profile),
      profile,
      scenarios: [scenario],
      cwd: '.',
      logger: createLogger({ level: 'silent' }),
      interactive: true,
      network: false,
    });
    expect(person.problems.map((p) => p.code)).toEqual(['TEST_DATA_MISSING']);
  });

  it('the README explains every code', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(PREFLIGHT_CODES)) expect(readme, code).toContain(`\`${code}\``);
  });
});
