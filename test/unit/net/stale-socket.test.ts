import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineContext } from '../../../src/harness/scenario/engine.js';
import type { PartnerProfile } from '../../../src/harness/scenario/profile.js';
import { fireTrigger } from '../../../src/harness/scenario/triggers.js';
import { OicpClient } from '../../../src/net/oicp-client.js';
import { createClock } from '../../../src/shared/clock.js';
import { randomIds } from '../../../src/shared/ids.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';
import { loopbackServers } from '../../helpers/listeners.js';

/**
 * Real partner servers close kept-alive connections: a short idle timeout, a worker restarted after an unhandled
 * 500, `Connection: close`. A request that went out on a socket the server had already let go of fails before any
 * answer byte; the hub's client and the harness's trigger client send it once more on a new connection (the server
 * never processed it). A request the server may have processed is never sent twice. Each server here counts the
 * requests its application handled ("deliveries").
 */
const ACK = JSON.stringify({ Result: true, StatusCode: { Code: '000' } });
const body = {
  OperatorID: 'DE*ACM',
  EvseID: 'DE*ACM*E0001*1',
  Identification: { RFIDMifareFamilyIdentification: { UID: '04A1B2C3D4E5F6' } },
};
const client = () => new OicpClient({ clock: createClock(), ids: randomIds(), idleSocketMs: 60_000 });

let certs: TestCerts;
beforeAll(async () => {
  certs = await makeTestCerts([{ key: 'acme', id: 'DE*ACM', role: 'CPO', name: 'ACME' }]);
});
afterAll(() => certs.cleanup());

const { listen, closeAll } = loopbackServers();
afterEach(closeAll);

type Behaviour = 'drop-second-on-connection' | 'connection-close' | 'keep';

/** A partner endpoint over mutual TLS (the hub's client certificate required) that answers each connection's first request and then behaves as told. */
async function mtlsPartner(
  behaviour: Behaviour,
): Promise<{ url: string; deliveries: () => number; connections: () => number }> {
  let deliveries = 0;
  let connections = 0;
  const perSocket = new WeakMap<object, number>();
  const partner = certs.partner('acme');
  const server = https.createServer(
    {
      key: partner.server.key,
      cert: partner.server.cert,
      ca: certs.hub.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (behaviour === 'drop-second-on-connection' && n > 1) {
        // What a server whose idle timeout struck as the request arrived does: the connection goes, nothing is handled.
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => {
        deliveries++;
        res
          .writeHead(200, {
            'content-type': 'application/json',
            ...(behaviour === 'connection-close' ? { connection: 'close' } : {}),
          })
          .end(ACK);
      });
    },
  );
  server.on('secureConnection', () => connections++);
  const port = await listen(server);
  return {
    url: `https://127.0.0.1:${port}/oicp`,
    deliveries: () => deliveries,
    connections: () => connections,
  };
}

const hubTls = () => ({ ca: certs.hub.ca, cert: certs.hub.client.cert, key: certs.hub.client.key });

describe('OicpClient over mutual TLS when the partner closes kept-alive connections', () => {
  it('sends a request whose reused socket the partner dropped once more on a new connection: no error, delivered once', async () => {
    const partner = await mtlsPartner('drop-second-on-connection');
    const c = client();
    const results = [];
    for (let i = 0; i < 4; i++)
      results.push(
        await c.send({ url: partner.url, operation: 'AuthorizeStart', body, timeoutMs: 5000, tls: hubTls() }),
      );
    c.close();
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(results.map((r) => r.exchange.transportError)).toEqual([undefined, undefined, undefined, undefined]);
    expect(partner.deliveries()).toBe(4);
    expect(partner.connections()).toBe(4);
  });

  it('honours Connection: close: every request on a new connection, none fails', async () => {
    const partner = await mtlsPartner('connection-close');
    const c = client();
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push(
        await c.send({ url: partner.url, operation: 'AuthorizeStart', body, timeoutMs: 5000, tls: hubTls() }),
      );
    c.close();
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(partner.deliveries()).toBe(3);
    expect(partner.connections()).toBe(3);
  });

  it('(control) a partner that keeps the connection: one connection for all requests', async () => {
    const partner = await mtlsPartner('keep');
    const c = client();
    for (let i = 0; i < 3; i++)
      expect(
        (await c.send({ url: partner.url, operation: 'AuthorizeStart', body, timeoutMs: 5000, tls: hubTls() })).ok,
      ).toBe(true);
    c.close();
    expect(partner.connections()).toBe(1);
  });
});

/** A raw HTTP server: what it does with each connection's second request is up to the test. */
async function rawServer(
  second: (socket: net.Socket) => void,
  first: (socket: net.Socket) => void = ok,
): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = net.createServer((socket) => {
    let n = 0;
    socket.on('data', (chunk) => {
      if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
      requests++;
      if (n++ === 0) first(socket);
      else second(socket);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/oicp`, requests: () => requests };
}
function ok(socket: net.Socket): void {
  socket.write(
    `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${ACK.length}\r\nconnection: keep-alive\r\n\r\n${ACK}`,
  );
}

describe('OicpClient never sends twice what the partner may have received', () => {
  it("a reused socket that broke after the first answer byte is the request's failure, not a retry", async () => {
    const server = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n');
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    const c = client();
    expect((await c.send({ url: server.url, operation: 'AuthorizeStart', body, timeoutMs: 5000 })).ok).toBe(true);
    const second = await c.send({ url: server.url, operation: 'AuthorizeStart', body, timeoutMs: 5000 });
    c.close();
    expect(second.ok).toBe(false);
    expect(server.requests()).toBe(2);
  });

  it("a new connection reset before any answer is the request's failure, not a retry", async () => {
    const server = await rawServer(ok, (socket) => socket.resetAndDestroy());
    const c = client();
    const first = await c.send({ url: server.url, operation: 'AuthorizeStart', body, timeoutMs: 5000 });
    c.close();
    expect(first.ok).toBe(false);
    expect(first.exchange.transportError?.code).toBe('connection');
    expect(server.requests()).toBe(1);
  });

  it('a reused socket that times out is not sent again', async () => {
    const server = await rawServer(() => {});
    const c = client();
    await c.send({ url: server.url, operation: 'AuthorizeStart', body, timeoutMs: 5000 });
    const second = await c.send({ url: server.url, operation: 'AuthorizeStart', body, timeoutMs: 200 });
    c.close();
    expect(second.exchange.transportError?.code).toBe('timeout');
    expect(server.requests()).toBe(2);
  });
});

describe("the harness's trigger client when the partner's test API drops a kept-alive connection", () => {
  it('calls the test API again on a new connection: no harness error, each order taken once', async () => {
    let taken = 0;
    const perSocket = new WeakMap<object, number>();
    const server = http.createServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n > 1) return void req.socket.destroy();
      req.resume();
      req.on('end', () => {
        taken++;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}/test/swipe`;
    const ctx = {
      profile: { triggers: { swipe: { http: { url } } } as unknown as PartnerProfile['triggers'] },
    } as EngineContext;
    for (let i = 0; i < 3; i++)
      expect(await fireTrigger('swipe', { evseId: 'DE*ACM*E0001*1', uid: '0A1B2C3D' }, {}, ctx)).toBeUndefined();
    expect(taken).toBe(3);
  });
});
