import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { World } from '../../src/config/world/types.js';
import { type Hub, startHub } from '../../src/hub/server.js';
import { mountMonitor } from '../../src/monitor/mount.js';
import { createClock } from '../../src/shared/clock.js';
import type { Exchange } from '../../src/shared/exchange.js';
import { Recorder } from '../../src/shared/recorder.js';
import { makeTestCerts, type TestCerts } from './certs.js';
import { type PostOptions, post, type RawResponse } from './http.js';
import { GHOST, testPartners, testWorld } from './world.js';

export { GHOST, testPartners, testWorld } from './world.js';

export interface TestHub {
  hub: Hub;
  certs: TestCerts;
  recorder: Recorder;
  /** POSTs as a partner (by key) with its client certificate to a path under the base path. */
  call(partnerKey: string, path: string, body: unknown, options?: PostOptions): Promise<RawResponse>;
  close(): Promise<void>;
}

let sharedCerts: Promise<TestCerts> | undefined;

/** Certificates for the test world's partners (and the ghost), made once per test file. */
export function testCerts(): Promise<TestCerts> {
  sharedCerts ??= makeTestCerts([...testPartners(), GHOST]);
  return sharedCerts;
}

/** Removes the file's shared certificates; test/setup.ts runs it after each test file (after the file's own hooks). */
export async function cleanupTestCerts(): Promise<void> {
  const certs = sharedCerts;
  sharedCerts = undefined;
  if (certs) await (await certs).cleanup();
}

export async function startTestHub(world: World = testWorld()): Promise<TestHub> {
  const certs = await testCerts();
  const recorder = new Recorder();
  const hub = await startHub({
    world,
    tls: world.hub.transport === 'mtls' ? certs.hub : undefined,
    recorder,
    clock: createClock(1),
    // As the app does (app/simulation.ts): tests of the hub read its exchanges through the monitor too.
    extraRoutes: mountMonitor,
  });
  return {
    hub,
    certs,
    recorder,
    call: (partnerKey, path, body, options = {}) =>
      post(`${hub.url}${path}`, body, { ca: certs.hub.ca, client: certs.partner(partnerKey).client, ...options }),
    close: () => hub.close(),
  };
}

export interface FakePartner {
  url: string;
  /** Requests received: path and parsed body. */
  received: Array<{ path: string; body: any; clientCn?: string }>;
  close(): Promise<void>;
}

export type FakeAnswer = { status?: number; body?: unknown; delayMs?: number; raw?: string; destroy?: boolean };

/**
 * A partner backend over mutual TLS with its own server certificate: it requires the hub's client certificate, and
 * answers with whatever `answer` returns for each request.
 */
export async function startFakePartner(
  certs: TestCerts,
  key: string,
  answer: (path: string, body: any) => FakeAnswer,
): Promise<FakePartner> {
  const material = certs.partner(key);
  const received: FakePartner['received'] = [];
  const server = https.createServer(
    {
      key: material.server.key,
      cert: material.server.cert,
      ca: material.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? JSON.parse(text) : undefined;
        const cn = (req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN;
        received.push({ path: req.url ?? '', body, clientCn: typeof cn === 'string' ? cn : undefined });
        const a = answer(req.url ?? '', body);
        const send = (): void => {
          if (a.destroy) {
            req.socket.destroy();
            return;
          }
          res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
          res.end(a.raw ?? JSON.stringify(a.body ?? {}));
        };
        if (a.delayMs) setTimeout(send, a.delayMs);
        else send();
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}/oicp`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Every body the hub itself produced (its answers and its forwarded requests) validates against the model. */
export function expectHubMessagesValid(exchanges: readonly Exchange[]): void {
  const hubSide = exchanges.flatMap((x) =>
    x.violations
      .filter(
        (v) =>
          v.kind === 'schema' &&
          ((x.direction === 'partner→hub' && v.side === 'response') ||
            (x.direction === 'hub→partner' && v.side === 'request')),
      )
      .map((v) => `${x.operation} ${x.direction} ${v.pointer}: ${v.message}`),
  );
  expect(hubSide).toEqual([]);
}
