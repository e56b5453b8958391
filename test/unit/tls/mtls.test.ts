import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertSubject } from '../../../src/tls/certs.js';
import { certificateIdentity, type PemPair } from '../../../src/tls/load.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';

const VCPO: CertSubject = { key: 'virtual-cpo', id: 'DE*VCP', role: 'CPO', name: 'Virtual CPO' };
const VEMP: CertSubject = { key: 'virtual-emp', id: 'DE-8EM', role: 'EMP', name: 'Virtual EMP' };

interface Seen {
  authorized: boolean;
  cn: string | null;
}

/** An HTTPS server that, like the hub, asks for a client certificate but decides about it itself. */
async function startServer(server: PemPair, ca: string): Promise<{ port: number; close(): Promise<void> }> {
  const httpsServer = https.createServer(
    { cert: server.cert, key: server.key, ca, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const cn = certificateIdentity(socket.getPeerCertificate()) ?? null;
      const seen: Seen = { authorized: socket.authorized, cn };
      res.setHeader('content-type', 'application/json').end(JSON.stringify(seen));
    },
  );
  await new Promise<void>((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
  return {
    port: (httpsServer.address() as AddressInfo).port,
    close: () => new Promise((resolve) => httpsServer.close(() => resolve())),
  };
}

/**
 * One request to 127.0.0.1, verifying the server against `ca`: by IP SAN, or under `servername` (a DNS SAN it must
 * carry; SNI may not be an IP address).
 */
function call(port: number, ca: string, client: PemPair | undefined, servername?: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port, path: '/', ca, agent: false, ...(servername ? { servername } : {}), ...client },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body) as Seen));
      },
    );
    req.on('error', reject).end();
  });
}

describe('mutual TLS with generated certificates', () => {
  let certs: TestCerts;
  let hub: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    certs = await makeTestCerts([VCPO, VEMP]);
    hub = await startServer(certs.hub.server, certs.hub.ca);
  });

  afterAll(async () => {
    await hub?.close();
    await certs?.cleanup();
  });

  it('should authorize a partner client certificate and expose its OICP ID as CN', async () => {
    const cpo = certs.partner('virtual-cpo');
    expect(await call(hub.port, cpo.ca, cpo.client)).toEqual({ authorized: true, cn: 'DE*VCP' });
    const emp = certs.partner('virtual-emp');
    expect(await call(hub.port, emp.ca, emp.client)).toEqual({ authorized: true, cn: 'DE-8EM' });
  });

  it('should present a hub server certificate valid for localhost as well as 127.0.0.1', async () => {
    const cpo = certs.partner('virtual-cpo');
    expect(await call(hub.port, cpo.ca, cpo.client, 'localhost')).toMatchObject({ authorized: true });
  });

  it('should not authorize a request without a client certificate', async () => {
    expect(await call(hub.port, certs.hub.ca, undefined)).toEqual({ authorized: false, cn: null });
  });

  it("should not authorize a certificate from another CA, even one carrying a partner's ID", async () => {
    expect(await call(hub.port, certs.hub.ca, certs.foreignCa.client)).toEqual({ authorized: false, cn: 'DE*VCP' });
  });

  it("should let a partner server authorize the hub's client certificate", async () => {
    const cpo = certs.partner('virtual-cpo');
    const partnerServer = await startServer(cpo.server, cpo.ca);
    try {
      expect(await call(partnerServer.port, certs.hub.ca, certs.hub.client, 'localhost')).toEqual({
        authorized: true,
        cn: 'Hubject HBS (simulated)',
      });
    } finally {
      await partnerServer.close();
    }
  });
});
