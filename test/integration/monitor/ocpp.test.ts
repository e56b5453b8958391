import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FrameLog } from '../../../src/ocpp/frames.js';
import { post } from '../../helpers/http.js';
import { eventually, openSse, type SseClient } from './monitor-client.js';
import { type MonitorTestHub, startMonitorHub } from './monitor-hub.js';

/** /monitor/api/ocpp: the run's OCPP frames as a page, one frame with its pair, and a stream of their own. */

const BOOT = '[2,"b1","BootNotification",{"chargePointVendor":"hbs-sim","chargePointModel":"virtual"}]';
const BOOTED = '[3,"b1",{"status":"Accepted","currentTime":"2026-12-02T10:00:00Z","interval":300}]';

describe('the OCPP routes of a monitor with charge points', () => {
  let t: MonitorTestHub;
  const frames = new FrameLog();
  const open: SseClient[] = [];
  const stream = async (query = '', headers: Record<string, string> = {}): Promise<SseClient> => {
    const s = await openSse(t.monitorUrl(`/api/ocpp/stream${query}`), t.certs.hub.ca, headers);
    open.push(s);
    return s;
  };
  beforeAll(async () => {
    t = await startMonitorHub({ ocppFrames: frames, heartbeatMs: 50 });
    frames.add('CP-1', 'cp→csms', BOOT, new Date('2026-12-02T10:00:00Z'));
    frames.add('CP-1', 'csms→cp', BOOTED, new Date('2026-12-02T10:00:00.040Z'));
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('lists frames newest first, as rows with a short payload view and the seq cursors', async () => {
    const r = await t.monitor('/api/ocpp?limit=1');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json).toEqual({
      enabled: true,
      items: [
        {
          seq: 2,
          at: '2026-12-02T10:00:00.040Z',
          chargePointId: 'CP-1',
          direction: 'csms→cp',
          type: 'CALLRESULT',
          messageId: 'b1',
          action: 'BootNotification',
          errorCode: null,
          summary: '{"status":"Accepted","currentTime":"2026-12-02T10:00:00Z","interval":300}',
        },
      ],
      total: 2,
      older: 2,
      newer: null,
      newestSeq: 2,
      recorded: 2,
      dropped: 0,
    });
    expect((await t.monitor('/api/ocpp?before=2')).json.items.map((f: { seq: number }) => f.seq)).toEqual([1]);
  });

  it('shows one frame whole, with the other half of its call', async () => {
    const call = await t.monitor('/api/ocpp/1');
    expect(call.status).toBe(200);
    expect(call.json.frame).toMatchObject({
      seq: 1,
      type: 'CALL',
      payload: { chargePointVendor: 'hbs-sim', chargePointModel: 'virtual' },
    });
    expect(call.json.row.seq).toBe(1);
    expect(call.json.pair).toMatchObject({ seq: 2, type: 'CALLRESULT', action: 'BootNotification' });
    expect((await t.monitor('/api/ocpp/2')).json.pair).toMatchObject({ seq: 1, type: 'CALL' });
  });

  it.each([
    ['/api/ocpp?limit=0', 400, 'BAD_QUERY', /limit must be an integer from 1 to 1000/],
    ['/api/ocpp?limit=1001', 400, 'BAD_QUERY', /limit must be an integer from 1 to 1000/],
    ['/api/ocpp?after=x', 400, 'BAD_QUERY', /after must be a seq number/],
    ['/api/ocpp?before=2&after=1', 400, 'BAD_QUERY', /give either before .* or after/],
    ['/api/ocpp?chargePoint=CP-1', 400, 'BAD_QUERY', /unknown query parameter "chargePoint"; this route takes limit/],
    ['/api/ocpp?limit=5&limit=6', 400, 'BAD_QUERY', /"limit" is given more than once/],
    ['/api/ocpp/0', 400, 'BAD_QUERY', /a frame is named by its seq from GET \/monitor\/api\/ocpp/],
    [`/api/ocpp/${'9'.repeat(16)}`, 400, 'BAD_QUERY', /an integer ≥ 1/],
    ['/api/ocpp/1?full=true', 400, 'BAD_QUERY', /this route takes no parameters/],
    ['/api/ocpp/99', 404, 'NOT_FOUND', /no OCPP frame 99 yet: the newest is 2/],
    ['/api/ocpp/1/extra', 404, 'NOT_FOUND', /no monitor route/],
    ['/api/ocpp/stream?after=-1', 400, 'BAD_QUERY', /after \/ Last-Event-ID must be a seq number/],
    ['/api/ocpp/stream?limit=5', 400, 'BAD_QUERY', /unknown query parameter "limit"; this route takes after/],
  ])('answers %s with %i %s naming the fix', async (path, status, code, message) => {
    const r = await t.monitor(path);
    expect(r.status).toBe(status);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message).toMatch(message);
  });

  it('is read-only and, like the rest of the monitor, only under this machine’s names', async () => {
    const write = await post(t.monitorUrl('/api/ocpp'), {}, { ca: t.certs.hub.ca });
    expect(write.status).toBe(405);
    expect(write.json.error.code).toBe('METHOD_NOT_ALLOWED');
    const rebound = await post(t.monitorUrl('/api/ocpp'), undefined, {
      method: 'GET',
      ca: t.certs.hub.ca,
      contentType: null,
      headers: { host: 'rebound.example' },
      servername: 'localhost',
    });
    expect(rebound.status).toBe(403);
    expect(rebound.json.error.code).toBe('HOST_NOT_ALLOWED');
  });

  it('streams each new frame as an `ocpp` event with its seq as the id, and resumes after Last-Event-ID', async () => {
    const live = await stream();
    expect(live.status).toBe(200);
    expect(live.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const added = frames.add('CP-2', 'csms→cp', '[2,"r1","RemoteStartTransaction",{"idTag":"04A1B2C3"}]');
    const event = await live.waitFor((e) => e.event === 'ocpp');
    expect(event.id).toBe(String(added.seq));
    expect(JSON.parse(event.data)).toMatchObject({
      seq: added.seq,
      chargePointId: 'CP-2',
      action: 'RemoteStartTransaction',
    });

    const resumed = await stream('', { 'last-event-id': '1' });
    await resumed.waitFor((e) => e.id === String(added.seq));
    expect(resumed.events.map((e) => e.id)).toEqual(['2', String(added.seq)]);
    const fromQuery = await stream('?after=2');
    await fromQuery.waitFor((e) => e.id === String(added.seq));
    expect(fromQuery.events).toHaveLength(1);
    await fromQuery.waitForComment((c) => c.startsWith('heartbeat '));
  });

  it('keeps one listener on the frame log for any number of streams, and none once they closed', async () => {
    const clients = await Promise.all(Array.from({ length: 12 }, () => stream()));
    expect(t.ocppFeed?.subscriberCount).toBe(12);
    expect(frames.listenerCount('frame')).toBe(1);
    for (const c of clients) c.close();
    await eventually(() => t.ocppFeed?.subscriberCount === 0);
    expect(frames.listenerCount('frame')).toBe(0);
  });

  it('leaves the exchange stream to exchanges', async () => {
    const exchanges = await openSse(t.monitorUrl('/api/stream'), t.certs.hub.ca);
    open.push(exchanges);
    await exchanges.waitForComment((c) => c === 'connected');
    frames.add('CP-1', 'cp→csms', '[2,"h1","Heartbeat",{}]');
    await exchanges.waitForComment((c) => c.startsWith('heartbeat '));
    expect(exchanges.events).toEqual([]);
  });
});

describe('the OCPP routes of a monitor without charge points (serve, an EMP run)', () => {
  let t: MonitorTestHub;
  beforeAll(async () => {
    t = await startMonitorHub();
  });
  afterAll(() => t.close());

  it('say so: the page is empty and marked disabled, a frame or the stream is not found, naming why', async () => {
    const page = await t.monitor('/api/ocpp');
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ enabled: false, items: [], total: 0, newestSeq: 0 });
    for (const path of ['/api/ocpp/1', '/api/ocpp/stream']) {
      const r = await t.monitor(path);
      expect(r.status, path).toBe(404);
      expect(r.json.error).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/no OCPP charge points.*ocpp:/),
      });
    }
    expect((await t.monitor('/api/ocpp?limit=0')).status).toBe(400);
  });
});
