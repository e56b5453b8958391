import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { World } from '../../../src/config/world/types.js';
import { type Hub, startHub } from '../../../src/hub/server.js';
import { mountMonitor } from '../../../src/monitor/mount.js';
import type { FrameLog } from '../../../src/ocpp/frames.js';
import { createClock } from '../../../src/shared/clock.js';
import { Recorder } from '../../../src/shared/recorder.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';
import { post, type RawResponse } from '../../helpers/http.js';
import { testPartners, testWorld } from '../../helpers/world.js';

// test/helpers/hub.ts imports vitest's expect, which must not load next to Playwright's: build from world.ts.
const world = (): World => testWorld({ aup: { enabled: false, perMinute: {} }, bodyLimitBytes: 256 * 1024 });

export interface MonitorWorld {
  hub: Hub;
  recorder: Recorder;
  monitorUrl: string;
  /** POSTs as a partner (by key) over mutual TLS to a path under the OICP base path. */
  call(partnerKey: 'cpo-a' | 'emp-a', path: string, body: unknown): Promise<RawResponse>;
  /** How the fake EMP answers forwarded CDRs from now on. */
  setEmpAnswer(status: number, body: unknown): void;
  close(): Promise<void>;
}

/**
 * The real hub (monitor mounted by default) with a CPO that accepts every remote start and a configurable EMP; with
 * `ocppFrames`, the monitor shows them as a run's charge points' frames.
 */
export async function startMonitorWorld(options: { ocppFrames?: FrameLog } = {}): Promise<MonitorWorld> {
  const certs = await makeTestCerts(testPartners());
  const recorder = new Recorder();
  const hub = await startHub({
    world: world(),
    tls: certs.hub,
    recorder,
    clock: createClock(1),
    extraRoutes: (app, context) => mountMonitor(app, context, options),
  });
  let empAnswer = { status: 500, body: { error: 'EMP backend down' } as unknown };
  const cpo = await fakePartner(certs, 'cpo-a', (body) => ({
    status: 200,
    body: { Result: true, StatusCode: { Code: '000' }, SessionID: body.SessionID },
  }));
  const emp = await fakePartner(certs, 'emp-a', () => empAnswer);
  hub.context.directory.setServiceUrl('cpo-a', 'authorization', cpo.url);
  hub.context.directory.setServiceUrl('emp-a', 'authorization', emp.url);
  return {
    hub,
    recorder,
    monitorUrl: `${hub.origin}/monitor`,
    call: (key, path, body) => post(`${hub.url}${path}`, body, { ca: certs.hub.ca, client: certs.partner(key).client }),
    setEmpAnswer: (status, body) => {
      empAnswer = { status, body };
    },
    close: async () => {
      await hub.close();
      await Promise.all([cpo.close(), emp.close()]);
      await certs.cleanup();
    },
  };
}

async function fakePartner(
  certs: TestCerts,
  key: string,
  answer: (body: any) => { status: number; body: unknown },
): Promise<{ url: string; close(): Promise<void> }> {
  const m = certs.partner(key);
  const server = https.createServer(
    { key: m.server.key, cert: m.server.cert, ca: m.ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const a = answer(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(a.body));
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/oicp`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
