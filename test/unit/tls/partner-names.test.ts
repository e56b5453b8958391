import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { certSubjectOf } from '../../../src/config/world/certs.js';
import type { Partner } from '../../../src/config/world/types.js';
import { ensureCerts } from '../../../src/tls/certs.js';
import { acmeUnderTest } from '../../helpers/world.js';

/**
 * A partner's server certificate names the hosts the hub calls it at: a backend reached by a CI service name or an
 * address presents a certificate the hub's host check accepts, made by `certs --partner` before the backend starts.
 */
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function partner(urls: { serviceUrl?: string; operationUrls?: Record<string, string> }): Partner {
  return acmeUnderTest({
    serviceTypes: {
      authorization: {
        onlineRequest: true,
        broadcast: false,
        clientCertification: true,
        ...(urls.serviceUrl ? { serviceUrl: urls.serviceUrl } : {}),
        operationUrls: urls.operationUrls ?? {},
      },
    },
  });
}

describe("a partner's server certificate and the hosts of its URLs", () => {
  it('names every https host of its Service and per-operation URLs that is not loopback; http and loopback add none', () => {
    expect(
      certSubjectOf(
        partner({
          serviceUrl: 'https://Backend.CI:9444/oicp',
          operationUrls: {
            AuthorizeRemoteStop: 'https://[fd00::7]:9444/stop?operatorID={operatorID}',
            AuthorizeRemoteStart: 'https://127.0.0.1:9444/start',
          },
        }),
      ).serverNames,
    ).toEqual(['backend.ci', 'fd00::7']);
    expect(certSubjectOf(partner({ serviceUrl: 'http://backend.ci:9444/oicp' })).serverNames).toBeUndefined();
    expect(certSubjectOf(partner({ serviceUrl: 'https://localhost:9444/oicp' })).serverNames).toBeUndefined();
  });

  it('issues the server certificate with those names, and reissues one made before a URL moved to a new host', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hbs-sim-partner-names-'));
    dirs.push(dir);
    const server = async () =>
      new X509Certificate(await readFile(path.join(dir, 'partners/under-test-deacm/server.crt'), 'utf8'));
    await ensureCerts({ dir, partners: [certSubjectOf(partner({ serviceUrl: 'https://localhost:9444/oicp' }))] });
    expect((await server()).checkHost('backend.ci', { subject: 'never' })).toBeUndefined();
    const ca = await readFile(path.join(dir, 'ca.crt'), 'utf8');
    const second = await ensureCerts({
      dir,
      partners: [certSubjectOf(partner({ serviceUrl: 'https://backend.ci:9444/oicp' }))],
    });
    expect(second.created).toEqual(['partners/under-test-deacm/server.crt', 'partners/under-test-deacm/server.key']);
    expect((await server()).checkHost('backend.ci', { subject: 'never' })).toBe('backend.ci');
    expect((await server()).checkHost('localhost', { subject: 'never' })).toBe('localhost');
    expect(await readFile(path.join(dir, 'ca.crt'), 'utf8')).toBe(ca);
  });
});
