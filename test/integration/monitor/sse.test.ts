import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePartner, startFakePartner } from '../../helpers/hub.js';
import { ack, cdr, evseRecord, pushEvseData, pushEvseStatus, remoteStart } from '../../helpers/messages.js';
import { eventually, openSse, type SseClient } from './monitor-client.js';
import { type MonitorTestHub, startMonitorHub, syntheticExchange } from './monitor-hub.js';

const START = '/charging/v21/providers/DE-EMA/authorize-remote/start';

describe('monitor live stream (server-sent events)', () => {
  let t: MonitorTestHub;
  let cpo: FakePartner;
  let emp: FakePartner;
  const open: SseClient[] = [];
  const stream = async (query = '', headers: Record<string, string> = {}): Promise<SseClient> => {
    const s = await openSse(t.monitorUrl(`/api/stream${query}`), t.certs.hub.ca, headers);
    open.push(s);
    return s;
  };
  beforeAll(async () => {
    t = await startMonitorHub({ heartbeatMs: 50, retryMs: 1500 });
    cpo = await startFakePartner(t.certs, 'cpo-a', (_p, b) => ({ body: ack(true, '000', b.SessionID) }));
    emp = await startFakePartner(t.certs, 'emp-a', () => ({ status: 503, body: {} }));
    t.hub.context.directory.setServiceUrl('cpo-a', 'authorization', cpo.url);
    t.hub.context.directory.setServiceUrl('emp-a', 'authorization', emp.url);
    await t.call(
      'cpo-a',
      '/evsepush/v23/operators/DE*CPA/data-records',
      pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]),
    );
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.all([cpo.close(), emp.close()]);
    await t.close();
  });

  it('is text/event-stream with a retry hint and heartbeat comments', async () => {
    const s = await stream();
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(s.headers['cache-control']).toBe('no-store');
    await s.waitForComment((c) => c.startsWith('heartbeat '));
    s.close();
  });

  it('sends each new exchange as it is recorded, with its seq as the event id, and only those the filter keeps', async () => {
    const all = await stream();
    const remoteOnly = await stream('?category=remote');
    const res = await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E1'));
    const inbound = await all.waitFor((e) => e.event === 'exchange' && JSON.parse(e.data).direction === 'partner→hub');
    const row = JSON.parse(inbound.data);
    expect(row).toMatchObject({
      operation: 'AuthorizeRemoteStart',
      sessionId: res.json.SessionID,
      httpStatus: 200,
      statusCode: '000',
    });
    expect(inbound.id).toBe(String(row.seq));
    await remoteOnly.waitFor((e) => e.event === 'exchange' && JSON.parse(e.data).direction === 'partner→hub');
    await t.call(
      'cpo-a',
      '/evsepush/v21/operators/DE*CPA/status-records',
      pushEvseStatus('DE*CPA', [{ EvseID: 'DE*CPA*E1', EvseStatus: 'Occupied' }]),
    );
    await all.waitFor((e) => e.event === 'exchange' && JSON.parse(e.data).operation === 'PushEvseStatus');
    await remoteOnly.waitFor((e) => e.event === 'evse');
    expect(remoteOnly.events.filter((e) => e.event === 'exchange').map((e) => JSON.parse(e.data).operation)).toEqual([
      'AuthorizeRemoteStart',
      'AuthorizeRemoteStart',
    ]);
  });

  it('tells when a CDR forward failed, after the CDR row went out as PENDING', async () => {
    const s = await stream('?category=cdr');
    const SessionID = (await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E1'))).json.SessionID;
    await t.call('cpo-a', '/cdrmgmt/v22/operators/DE*CPA/charge-detail-record', cdr(SessionID, 'DE*CPA*E1'));
    const change = await s.waitFor((e) => e.event === 'cdr');
    expect(JSON.parse(change.data)).toEqual({ SessionID, forwardStatus: 'NOT_FORWARDED', forwardInfo: 'HTTP 503' });
    expect(change.id).toBeUndefined();
    const upload = s.events.find((e) => e.event === 'exchange' && JSON.parse(e.data).direction === 'partner→hub')!;
    expect(JSON.parse(upload.data).forwardStatus).toMatch(/PENDING|NOT_FORWARDED/);
  });

  it('resumes after Last-Event-ID without losing or repeating an exchange', async () => {
    const first = await stream('?after=0');
    const backlog = t.recorder.all().length;
    await eventually(() => first.events.filter((e) => e.event === 'exchange').length === backlog);
    for (let i = 0; i < 5; i++) t.recorder.record(syntheticExchange(i));
    await eventually(() => first.events.filter((e) => e.event === 'exchange').length === backlog + 5);
    const lastId = first.events.filter((e) => e.event === 'exchange').at(-1)!.id!;
    first.close();
    for (let i = 5; i < 12; i++) t.recorder.record(syntheticExchange(i));
    // EventSource reconnects to the same URL (after=0 still in it) with the header; the header wins.
    const again = await stream('?after=0', { 'last-event-id': lastId });
    t.recorder.record(syntheticExchange(12));
    await again.waitFor((e) => e.event === 'exchange' && JSON.parse(e.data).id === 'syn12');
    const ids = again.events.filter((e) => e.event === 'exchange').map((e) => JSON.parse(e.data).id);
    expect(ids).toEqual(['syn5', 'syn6', 'syn7', 'syn8', 'syn9', 'syn10', 'syn11', 'syn12']);
    const seqs = again.events.filter((e) => e.event === 'exchange').map((e) => Number(e.id));
    expect(seqs[0]).toBe(Number(lastId) + 1);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });

  it('starts from now when given no resume point', async () => {
    const s = await stream();
    t.recorder.record(syntheticExchange(100));
    await s.waitFor((e) => e.event === 'exchange');
    expect(s.events.filter((e) => e.event === 'exchange').map((e) => JSON.parse(e.data).id)).toEqual(['syn100']);
  });

  it('attaches one recorder listener while anyone listens and removes it when the last client disconnects', async () => {
    for (const s of open) s.close();
    await eventually(() => t.feed.subscriberCount === 0);
    const baseline = t.recorder.listenerCount('exchange');
    const clients = await Promise.all([stream(), stream('?category=cdr'), stream('?after=0')]);
    await eventually(() => t.feed.subscriberCount === 3);
    expect(t.recorder.listenerCount('exchange')).toBe(baseline + 1);
    clients[0]!.close();
    await eventually(() => t.feed.subscriberCount === 2);
    expect(t.recorder.listenerCount('exchange')).toBe(baseline + 1);
    clients[1]!.close();
    clients[2]!.close();
    await eventually(() => t.feed.subscriberCount === 0);
    expect(t.recorder.listenerCount('exchange')).toBe(baseline);
  });

  it('cuts off a client that stopped reading, which then resumes by Last-Event-ID', async () => {
    const slow = await startMonitorHub({ maxBufferedBytes: 1 });
    try {
      const s = await openSse(slow.monitorUrl('/api/stream?after=0'), slow.certs.hub.ca);
      slow.recorder.record(syntheticExchange(1));
      await s.ended;
      await eventually(() => slow.feed.subscriberCount === 0);
    } finally {
      await slow.close();
    }
  });
});
