import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { worldWithPartner } from '../../../src/app/certify.js';
import { PREFLIGHT_CODES, type PreflightResult, preflight } from '../../../src/app/preflight.js';
import type { Partner, ServiceTypeSetting } from '../../../src/config/world/types.js';
import type { PartnerProfile } from '../../../src/harness/scenario/profile.js';
import { createLogger } from '../../../src/shared/log.js';
import { generateCa, generateSigned } from '../../../src/tls/generate.js';
import { CA_SPEC, partnerSpecs } from '../../../src/tls/spec.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';
import { closedPort, loopbackServers } from '../../helpers/listeners.js';
import { testWorld } from '../../helpers/world.js';

/**
 * The preflight of a run against partner backends on loopback: it reaches every URL of the profile with the TLS
 * identity the forwarder uses (the hub's client certificate, the run's CA), probes each HTTP trigger's server, and
 * turns what it sees into one diagnosis per problem whose fix names the file, the certificate or the port.
 */

const SUBJECT = { key: 'backend', id: 'DE*ACM', role: 'CPO' as const, name: 'ACME' };
let certs: TestCerts;
const { listen, closeAll } = loopbackServers();
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  certs = await makeTestCerts([SUBJECT]);
});
afterAll(() => certs.cleanup());
afterEach(async () => {
  await closeAll();
});

/** A backend on mutual TLS: the partner's server certificate, clients checked against `clientCa`. */
function backend(clientCa = certs.hub.ca, status = 404): https.Server {
  return https.createServer(
    { ...certs.partner('backend').server, ca: clientCa, requestCert: true, rejectUnauthorized: true },
    (_req, res) => res.writeHead(status).end(),
  );
}

const online = (serviceUrl: string, extra: Partial<ServiceTypeSetting> = {}): ServiceTypeSetting => ({
  onlineRequest: true,
  broadcast: false,
  serviceUrl,
  operationUrls: {},
  clientCertification: true,
  ...extra,
});

function profile(
  serviceTypes: Partner['serviceTypes'],
  triggers: PartnerProfile['triggers'] = {},
  extra: Partial<Partner> = {},
): PartnerProfile {
  return {
    file: 'partner.yaml',
    partner: {
      key: 'under-test-DEACM',
      id: 'DE*ACM',
      role: 'CPO',
      name: 'ACME',
      locked: false,
      subPartnerIds: [],
      serviceTypes,
      ...extra,
    },
    testData: { evseIds: [], uids: [], evcoIds: [], qrCodes: [] },
    triggers,
  };
}

function check(p: PartnerProfile, timeoutMs = 3000): Promise<PreflightResult> {
  return preflight({
    world: worldWithPartner(testWorld({ certsDir: certs.dir }), p),
    profile: p,
    scenarios: [],
    cwd: certs.dir,
    logger,
    interactive: false,
    timeoutMs,
  });
}

describe('preflight', () => {
  it('passes a backend answering 404 to HEAD at every URL, and a test API answering OPTIONS *', async () => {
    const port = await listen(backend(certs.hub.ca, 404));
    const api = await listen(http.createServer((_q, s) => s.writeHead(405).end()));
    const r = await check(
      profile(
        {
          authorization: online(`https://127.0.0.1:${port}/oicp`),
          reservation: online(`https://127.0.0.1:${port}/oicp`),
        },
        { swipe: { http: { url: `http://127.0.0.1:${api}/test/swipe/{{evseId}}` } } },
      ),
    );
    expect(r.problems).toEqual([]);
    expect(r.exitCode).toBe(0);
    const endpoints = r.checks.filter((c) => c.kind === 'endpoint');
    // AuthorizeRemoteStart/Stop and the two reservation operations, at the paths HBS will call.
    expect(endpoints.map((c) => c.subject)).toContainEqual(
      expect.stringMatching(
        /^AuthorizeRemoteStart https:\/\/127\.0\.0\.1:\d+\/oicp\/charging\/v21\/providers\/.+\/authorize-remote\/start$/,
      ),
    );
    expect(endpoints).toHaveLength(4);
    expect(endpoints.every((c) => c.ok && c.note.includes('HTTP 404'))).toBe(true);
    expect(r.checks.find((c) => c.kind === 'trigger')).toMatchObject({ ok: true });
  });

  it('names the refused Service URL once per origin and the dead trigger, exit 3', async () => {
    const [port, api] = [await closedPort(), await closedPort()];
    const r = await check(
      profile(
        {
          authorization: online(`https://127.0.0.1:${port}/oicp`),
          reservation: online(`https://127.0.0.1:${port}/oicp`),
        },
        { pushEvseData: { http: { url: `http://127.0.0.1:${api}/test/push` } } },
      ),
    );
    expect(r.exitCode).toBe(3);
    expect(r.problems.map((p) => p.code)).toEqual(['CONNECTION_REFUSED', 'CONNECTION_REFUSED']);
    const [endpoint, trigger] = r.problems;
    expect(endpoint!.subject).toContain(`https://127.0.0.1:${port}/oicp/`);
    expect(endpoint!.fix).toContain(`listens at 127.0.0.1:${port}`);
    expect(endpoint!.fix).toContain('authorization, reservation in partner.yaml');
    expect(trigger!.subject).toContain(`http://127.0.0.1:${api}/test/push (trigger pushEvseData)`);
    expect(trigger!.fix).toContain('triggers.pushEvseData.http.url in partner.yaml');
  });

  it('says "not trusted" for a server certificate of another CA, naming the run\'s CA and its ca.crt', async () => {
    const other = await generateCa({ ...CA_SPEC, commonName: 'another CA (test)' }, new Date());
    const server = await generateSigned(partnerSpecs(SUBJECT).server, other, new Date());
    const port = await listen(https.createServer(server, (_q, s) => s.end()));
    const r = await check(profile({ authorization: online(`https://127.0.0.1:${port}/oicp`) }));
    expect(r.problems.map((p) => p.code)).toEqual(['TLS_NOT_TRUSTED']);
    expect(r.problems[0]!.seen).toContain('issued by CN=another CA (test)');
    expect(r.problems[0]!.fix).toContain('hbs-sim local CA');
    expect(r.problems[0]!.fix).toContain(`${certs.dir}/ca.crt`);
    expect(r.problems[0]!.fix).toContain('serverCaFile');
    // With that CA as the profile's serverCaFile, the forwarder's trust, the same server passes.
    const caFile = join(certs.dir, 'another-ca.pem');
    await writeFile(caFile, other.cert);
    const trusted = await check(
      profile({ authorization: online(`https://127.0.0.1:${port}/oicp`) }, {}, { serverCaFile: caFile }),
    );
    expect(trusted.problems).toEqual([]);
  });

  it('says the backend refused the hub client certificate when it trusts another CA for clients', async () => {
    const other = await generateCa({ ...CA_SPEC, commonName: 'clients CA (test)' }, new Date());
    const port = await listen(backend(other.cert));
    const r = await check(profile({ authorization: online(`https://127.0.0.1:${port}/oicp`) }));
    expect(r.problems.map((p) => p.code)).toEqual(['CLIENT_CERT_REFUSED']);
    expect(r.problems[0]!.fix).toContain(`${certs.dir}/hub/client.crt`);
    expect(r.problems[0]!.fix).toContain('clientCertification: false');
  });

  it('names a plain HTTP backend at the https:// URL of an mTLS profile', async () => {
    const port = await listen(http.createServer((_q, s) => s.writeHead(404).end()));
    const r = await check(profile({ authorization: online(`https://127.0.0.1:${port}/oicp`) }));
    expect(r.problems.map((p) => p.code)).toEqual(['PLAIN_HTTP_ON_HTTPS_URL']);
    expect(r.problems[0]!.fix).toContain('write http://');
  });

  it('presents no client certificate where the profile turns Client Certification off, as the forwarder does', async () => {
    const port = await listen(backend());
    const r = await check(
      profile({ authorization: online(`https://127.0.0.1:${port}/oicp`, { clientCertification: false }) }),
    );
    // The backend trusts the hub's certificate, so only its absence can make it refuse: the fix says to send it.
    expect(r.problems.map((p) => p.code)).toEqual(['CLIENT_CERT_REFUSED']);
    expect(r.problems[0]!.fix).toContain('set clientCertification: true for authorization in partner.yaml');
    expect(r.exitCode).toBe(3);
  });

  it('probes nothing with network: false (run --no-preflight), and every code it can give has a kind', async () => {
    const port = await closedPort();
    const p = profile({ authorization: online(`https://127.0.0.1:${port}/oicp`) });
    const r = await preflight({
      world: worldWithPartner(testWorld({ certsDir: certs.dir }), p),
      profile: p,
      scenarios: [],
      cwd: certs.dir,
      logger,
      interactive: false,
      network: false,
    });
    expect(r.exitCode).toBe(0);
    expect(r.checks.every((c) => c.kind === 'test-data')).toBe(true);
    expect(Object.values(PREFLIGHT_CODES).every((c) => c.kind === 'input' || c.kind === 'network')).toBe(true);
  });
});
