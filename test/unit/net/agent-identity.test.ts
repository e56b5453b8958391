import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OicpClient } from '../../../src/net/oicp-client.js';
import { createClock } from '../../../src/shared/clock.js';
import { randomIds } from '../../../src/shared/ids.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';
import { testPartners } from '../../helpers/world.js';

/**
 * The client keeps one pool of kept-alive connections per TLS identity: requests with the same CA and client
 * certificate share connections, and a request with another certificate never rides on a connection opened with
 * the first (the partner would take it for the wrong sender).
 */
describe('OicpClient connections per TLS identity', () => {
  let certs: TestCerts;
  let server: https.Server;
  let url: string;
  const seen: Array<{ connection: number; cn: string }> = [];
  beforeAll(async () => {
    certs = await makeTestCerts(testPartners());
    const cpo = certs.partner('cpo-a');
    let connections = 0;
    const ids = new WeakMap<object, number>();
    server = https.createServer(
      { key: cpo.server.key, cert: cpo.server.cert, ca: cpo.ca, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        if (!ids.has(socket)) ids.set(socket, ++connections);
        seen.push({ connection: ids.get(socket)!, cn: String(socket.getPeerCertificate().subject.CN) });
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ Result: true, StatusCode: { Code: '000' } }));
        });
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/oicp`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
    await certs.cleanup();
  });

  it('reuses a connection for the same identity and opens another for another client certificate', async () => {
    const client = new OicpClient({ clock: createClock(), ids: randomIds() });
    const as = (key: string) => ({
      ca: certs.hub.ca,
      cert: certs.partner(key).client.cert,
      key: certs.partner(key).client.key,
      servername: 'localhost',
    });
    const send = (key: string) => client.send({ url, operation: 'custom', body: {}, timeoutMs: 5000, tls: as(key) });
    try {
      for (const key of ['emp-a', 'emp-a', 'emp-b', 'emp-a', 'emp-b']) expect((await send(key)).ok).toBe(true);
    } finally {
      client.close();
    }
    expect(seen.map((s) => s.cn)).toEqual(['DE-EMA', 'DE-EMA', 'DE-EMB', 'DE-EMA', 'DE-EMB']);
    const connectionOf = (cn: string) => new Set(seen.filter((s) => s.cn === cn).map((s) => s.connection));
    expect(connectionOf('DE-EMA').size).toBe(1);
    expect(connectionOf('DE-EMB').size).toBe(1);
    expect([...connectionOf('DE-EMA')][0]).not.toBe([...connectionOf('DE-EMB')][0]);
  });
});
