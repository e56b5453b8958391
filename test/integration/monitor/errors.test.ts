import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from '../../../src/hub/server.js';
import { mountMonitor } from '../../../src/monitor/mount.js';
import { Recorder } from '../../../src/shared/recorder.js';
import { post } from '../../helpers/http.js';
import { testCerts, testWorld } from '../../helpers/hub.js';
import { evseRecord, pushEvseData } from '../../helpers/messages.js';
import { get } from './monitor-client.js';
import { type MonitorTestHub, startMonitorHub } from './monitor-hub.js';

describe('monitor API refuses bad requests with a 400 error value, never a 500', () => {
  let t: MonitorTestHub;
  beforeAll(async () => {
    t = await startMonitorHub();
  });
  afterAll(() => t.close());

  const cases: Array<[string, RegExp]> = [
    ['/api/exchanges?categroy=cdr', /unknown query parameter "categroy"; this route takes category, direction/],
    ['/api/exchanges?category=cdrs', /category must be one of all, sessions, authorization, remote, cdr/],
    ['/api/exchanges?category=cdr&category=evse', /"category" is given more than once/],
    ['/api/exchanges?direction=sideways', /direction must be "in" \(partner→hub\) or "out"/],
    ['/api/exchanges?operation=RemoteStart', /operation must be an OICP operation name such as AuthorizeRemoteStart/],
    ['/api/exchanges?statusCode=22', /statusCode must be a three-digit OICP StatusCode/],
    ['/api/exchanges?http=999', /http must be an HTTP status from 100 to 599, or "none"/],
    ['/api/exchanges?violations=yes', /violations must be "true" .* or "false"/],
    ['/api/exchanges?forward=DONE', /forward must be one of PENDING, FORWARDED, NOT_FORWARDED/],
    ['/api/exchanges?limit=0', /limit must be an integer from 1 to 1000/],
    ['/api/exchanges?limit=5000', /limit must be an integer from 1 to 1000/],
    ['/api/exchanges?before=-3', /before must be a seq number/],
    ['/api/exchanges?before=5&after=2', /give either before \(older page\) or after \(newer page\), not both/],
    [`/api/exchanges?q=${'x'.repeat(201)}`, /q is longer than 200 characters/],
    ['/api/exchanges.csv?limit=10', /unknown query parameter "limit".*the CSV holds every matching exchange/],
    ['/api/stream?after=abc', /after \/ Last-Event-ID must be a seq number/],
    ['/api/stream?before=3', /unknown query parameter "before"/],
    ['/api/cdrs?forward=SENT', /forward must be one of/],
    ['/api/evses?operator=DE*CPA', /unknown query parameter "operator"; this route takes no parameters/],
  ];
  it.each(cases)('GET %s → 400 BAD_QUERY', async (path, message) => {
    const res = await t.monitor(path);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json.error.code).toBe('BAD_QUERY');
    expect(res.json.error.message).toMatch(message);
  });

  it('refuses a Last-Event-ID that is not a seq', async () => {
    const res = await t.monitor('/api/stream', { 'last-event-id': 'x12' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/Last-Event-ID must be a seq number/);
  });

  it('answers an unknown monitor route with 404 and writes with 405, both as error values', async () => {
    const missing = await t.monitor('/api/exchange');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.json.error.message).toMatch(/no monitor route \/monitor\/api\/exchange/);
    const write = await post(t.monitorUrl('/api/exchanges'), {}, { ca: t.certs.hub.ca });
    expect(write.status).toBe(405);
    expect(write.headers.allow).toBe('GET');
    expect(write.json.error.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('monitor placement', () => {
  it('is served only to loopback callers', async () => {
    const certs = await testCerts();
    const hub = await startHub({ world: testWorld(), tls: certs.hub });
    const app = express();
    mountMonitor(app, hub);
    const server = http.createServer(app);
    // Pretend the caller came from another machine: loopbackOnly reads the socket's remote address.
    server.on('connection', (socket: Socket) =>
      Object.defineProperty(socket, 'remoteAddress', { value: '192.0.2.10' }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/monitor`;
      for (const path of ['', '/api/exchanges', '/api/stream']) {
        const res = await get(`${base}${path}`, certs.hub.ca);
        expect(res.status, path).toBe(403);
        expect(res.json.error.code).toBe('LOOPBACK_ONLY');
      }
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await hub.close();
    }
  });

  it('leaves OICP answers unchanged, and on a hub without it /monitor is an ordinary unknown OICP path', async () => {
    const certs = await testCerts();
    const answers: unknown[] = [];
    for (const monitor of [true, false]) {
      const recorder = new Recorder();
      const hub = await startHub({
        world: testWorld(),
        tls: certs.hub,
        recorder,
        ...(monitor ? { extraRoutes: mountMonitor } : {}),
      });
      const opts = { ca: certs.hub.ca, client: certs.partner('cpo-a').client };
      const res = await post(
        `${hub.url}/evsepush/v23/operators/DE*CPA/data-records`,
        pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]),
        opts,
      );
      answers.push({ status: res.status, body: res.json });
      const page = await get(`${hub.origin}/monitor`, certs.hub.ca);
      if (monitor) {
        expect(page.status).toBe(200);
        expect(recorder.all()).toHaveLength(1);
      } else {
        expect(page.status).toBe(404);
        expect(page.json.StatusCode.Code).toBe('022');
        expect(recorder.all().at(-1)!.operation).toBe('unknown');
      }
      await hub.close();
    }
    expect(answers[0]).toEqual(answers[1]);
  });
});
