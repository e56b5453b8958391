import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/net/probe.js';
import { generateCa, generateSigned } from '../../../src/tls/generate.js';
import type { PemPair } from '../../../src/tls/load.js';
import { CA_SPEC, partnerSpecs } from '../../../src/tls/spec.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';
import { closedPort, loopbackServers } from '../../helpers/listeners.js';

/**
 * The preflight's look at one URL, against real servers on loopback: any HTTP answer passes (404, 405 included);
 * each way a TLS or TCP connection goes wrong is named as such, with the certificate that was seen.
 */

const SUBJECT = { key: 'under-test', id: 'DE*ACM', role: 'CPO' as const, name: 'ACME' };
let certs: TestCerts;
let foreign: { ca: PemPair; server: PemPair };
const { listen, closeAll } = loopbackServers();
const sockets: net.Socket[] = [];

beforeAll(async () => {
  certs = await makeTestCerts([SUBJECT]);
  const now = new Date();
  const ca = await generateCa({ ...CA_SPEC, commonName: 'another CA (test)' }, now);
  foreign = { ca, server: await generateSigned(partnerSpecs(SUBJECT).server, ca, now) };
});
afterAll(() => certs.cleanup());
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await closeAll();
});

/** What the hub presents and trusts, as the forwarder does. */
const hubTls = () => ({ ca: certs.hub.ca, cert: certs.hub.client.cert, key: certs.hub.client.key });

/** A partner backend on mutual TLS that trusts `clientCa` for client certificates. */
function mtlsServer(status: number, clientCa: string, seen: string[] = []): https.Server {
  return https.createServer(
    { ...certs.partner('under-test').server, ca: clientCa, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(status).end();
    },
  );
}

describe('probe', () => {
  it('passes a backend that answers HEAD with 405 or 404, having presented the hub client certificate', async () => {
    const seen: string[] = [];
    for (const status of [405, 404]) {
      const port = await listen(mtlsServer(status, certs.hub.ca, seen));
      const r = await probe({
        url: `https://127.0.0.1:${port}/oicp/x?a=1`,
        tls: hubTls(),
        request: 'head',
        timeoutMs: 3000,
      });
      expect(r).toMatchObject({ ok: true, status });
    }
    expect(seen).toEqual(['HEAD /oicp/x?a=1', 'HEAD /oicp/x?a=1']);
  });

  it('asks a test API OPTIONS *, which names no route it could act on', async () => {
    const seen: string[] = [];
    const port = await listen(
      http.createServer((req, res) => {
        seen.push(`${req.method} ${req.url}`);
        res.writeHead(404).end();
      }),
    );
    const r = await probe({ url: `http://127.0.0.1:${port}/test/swipe`, request: 'options-server', timeoutMs: 3000 });
    expect(r).toMatchObject({ ok: true, status: 404 });
    expect(seen).toEqual(['OPTIONS *']);
  });

  it('names a refused connection', async () => {
    const port = await closedPort();
    const r = await probe({ url: `https://127.0.0.1:${port}/oicp`, tls: hubTls(), request: 'head', timeoutMs: 3000 });
    expect(r).toMatchObject({ ok: false, failure: 'refused', stage: 'connect' });
  });

  it('says "not trusted" for a server certificate of another CA, naming its issuer', async () => {
    const port = await listen(https.createServer(foreign.server, (_q, s) => s.end()));
    const r = await probe({ url: `https://127.0.0.1:${port}/oicp`, tls: hubTls(), request: 'head', timeoutMs: 3000 });
    expect(r).toMatchObject({ ok: false, failure: 'not-trusted', stage: 'tls' });
    expect(!r.ok && r.peer?.issuer).toContain('another CA (test)');
  });

  it('names a hostname mismatch with the names the certificate has', async () => {
    const port = await listen(mtlsServer(200, certs.hub.ca));
    const r = await probe({
      url: `https://127.0.0.1:${port}/oicp`,
      tls: { ...hubTls(), servername: 'backend.example' },
      request: 'head',
      timeoutMs: 3000,
    });
    expect(r).toMatchObject({ ok: false, failure: 'hostname-mismatch' });
    expect(!r.ok && r.detail).toContain('backend.example');
    expect(!r.ok && r.peer?.names).toContain('DNS:localhost');
  });

  it('says the client certificate was refused by a server that trusts another CA for clients', async () => {
    const port = await listen(mtlsServer(200, foreign.ca.cert));
    const r = await probe({ url: `https://127.0.0.1:${port}/oicp`, tls: hubTls(), request: 'head', timeoutMs: 3000 });
    expect(r).toMatchObject({ ok: false, failure: 'client-cert-refused' });
  });

  it('names plain HTTP at an https:// URL, and TLS at an http:// URL', async () => {
    const plain = await listen(http.createServer((_q, s) => s.writeHead(404).end()));
    const secured = await listen(mtlsServer(200, certs.hub.ca));
    const a = await probe({ url: `https://127.0.0.1:${plain}/oicp`, tls: hubTls(), request: 'head', timeoutMs: 3000 });
    expect(a).toMatchObject({ ok: false, failure: 'plain-http-on-tls-url' });
    const b = await probe({ url: `http://127.0.0.1:${secured}/oicp`, request: 'head', timeoutMs: 3000 });
    expect(b).toMatchObject({ ok: false, failure: 'tls-on-plain-url' });
  });

  it('gives up on a server that accepts the connection and says nothing, within its time', async () => {
    const port = await listen(net.createServer((s) => sockets.push(s)));
    const started = performance.now();
    const r = await probe({ url: `https://127.0.0.1:${port}/oicp`, tls: hubTls(), request: 'head', timeoutMs: 300 });
    expect(r).toMatchObject({ ok: false, failure: 'timeout', stage: 'tls' });
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
