import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAnswer, type FakePartner, startFakePartner } from '../../helpers/hub.js';
import { ack, cdr, evseRecord, pushEvseData, pushEvseStatus, remoteStart } from '../../helpers/messages.js';
import { type MonitorTestHub, startMonitorHub } from './monitor-hub.js';

const START = '/charging/v21/providers/DE-EMA/authorize-remote/start';
const CDR = '/cdrmgmt/v22/operators/DE*CPA/charge-detail-record';
const PUSH_DATA = '/evsepush/v23/operators/DE*CPA/data-records';
const PUSH_STATUS = '/evsepush/v21/operators/DE*CPA/status-records';

/**
 * Real traffic over mutual TLS (EVSE push, a remote start forwarded to a CPO, a CDR the EMP refuses with HTTP 500,
 * a push that breaks the schema), then read back through the monitor's JSON API.
 */
describe('monitor JSON API over real hub traffic', () => {
  let t: MonitorTestHub;
  let cpo: FakePartner;
  let emp: FakePartner;
  let empAnswer: () => FakeAnswer = () => ({ status: 500, body: { error: 'boom' } });
  let okSession: string;
  let failedSession: string;

  beforeAll(async () => {
    t = await startMonitorHub();
    cpo = await startFakePartner(t.certs, 'cpo-a', (_p, b) => ({ body: ack(true, '000', b.SessionID) }));
    emp = await startFakePartner(t.certs, 'emp-a', () => empAnswer());
    t.hub.context.directory.setServiceUrl('cpo-a', 'authorization', cpo.url);
    t.hub.context.directory.setServiceUrl('emp-a', 'authorization', emp.url);
    await t.call('cpo-a', PUSH_DATA, pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1'), evseRecord('DE*CPA*E2')]));
    await t.call('cpo-a', PUSH_STATUS, pushEvseStatus('DE*CPA', [{ EvseID: 'DE*CPA*E1', EvseStatus: 'Available' }]));
    failedSession = (await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E1'))).json.SessionID;
    await t.call('cpo-a', CDR, cdr(failedSession, 'DE*CPA*E1'));
    await t.hub.idle();
    empAnswer = () => ({ body: ack(true) });
    okSession = (await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E2'))).json.SessionID;
    await t.call('cpo-a', CDR, cdr(okSession, 'DE*CPA*E2'));
    await t.hub.idle();
    // A second CDR for the same session is refused (400): it must not borrow the stored CDR's forward status.
    await t.call('cpo-a', CDR, cdr(okSession, 'DE*CPA*E2'));
    await t.call('cpo-a', PUSH_DATA, pushEvseData('DE*CPA', [evseRecord('not-an-evse-id')]));
  });
  afterAll(async () => {
    await Promise.all([cpo.close(), emp.close()]);
    await t.close();
  });

  const list = async (query: string) => {
    const res = await t.monitor(`/api/exchanges${query}`);
    expect(res.status, res.text).toBe(200);
    return res.json as {
      items: any[];
      total: number;
      older: number | null;
      newer: number | null;
      newestSeq: number;
      recorded: number;
      dropped: number;
    };
  };

  it('lists every exchange newest first with the columns the page shows', async () => {
    const page = await list('');
    expect(page.total).toBe(t.recorder.all().length);
    expect(page.recorded).toBe(t.recorder.all().length);
    expect(page.newestSeq).toBe(t.recorder.all().length);
    expect(page.items.map((r) => r.seq)).toEqual([...page.items.map((r) => r.seq)].sort((a, b) => b - a));
    const invalid = page.items[0];
    expect(invalid).toMatchObject({
      operation: 'PushEvseData',
      direction: 'partner→hub',
      partnerId: 'DE*CPA',
      httpStatus: 400,
      statusCode: '022',
      category: 'evse',
    });
    expect(invalid.violations).toBeGreaterThan(0);
    expect(invalid.violationKinds).toContain('schema');
    expect(Object.keys(invalid).sort()).toEqual(
      [
        'category',
        'causeId',
        'direction',
        'durationMs',
        'forwardStatus',
        'httpStatus',
        'id',
        'operation',
        'partnerId',
        'seq',
        'sessionId',
        'startedAt',
        'statusCode',
        'transportError',
        'url',
        'violationKinds',
        'violations',
      ].sort(),
    );
  });

  it('filters by category: remote start/stop holds both legs of each remote start', async () => {
    const page = await list('?category=remote');
    expect(page.items.map((r) => `${r.operation} ${r.direction}`)).toEqual([
      'AuthorizeRemoteStart partner→hub',
      'AuthorizeRemoteStart hub→partner',
      'AuthorizeRemoteStart partner→hub',
      'AuthorizeRemoteStart hub→partner',
    ]);
  });

  it('marks the CDR the EMP refused NOT_FORWARDED and the delivered one FORWARDED, on the CPO upload and the forwarded leg', async () => {
    const notForwarded = await list('?forward=NOT_FORWARDED');
    expect(notForwarded.items.map((r) => `${r.direction} ${r.sessionId}`).sort()).toEqual(
      [`hub→partner ${failedSession}`, `partner→hub ${failedSession}`].sort(),
    );
    const forwarded = await list('?category=cdr&forward=FORWARDED');
    expect(forwarded.items.every((r) => r.sessionId === okSession)).toBe(true);
    expect(forwarded.total).toBe(2);
    const refusedDuplicate = (await list(`?category=cdr&session=${okSession}&statusCode=400`)).items;
    expect(refusedDuplicate).toHaveLength(1);
    expect(refusedDuplicate[0].forwardStatus).toBeNull();
    const failedLeg = (await list(`?forward=NOT_FORWARDED&direction=out`)).items[0];
    expect(failedLeg).toMatchObject({ httpStatus: 500, partnerId: 'DE-EMA', operation: 'ChargeDetailRecord' });
  });

  it('filters by session, direction, partner (with or without separators), status, HTTP status, violations and free text', async () => {
    const session = await list(`?category=sessions&session=${failedSession.toUpperCase()}`);
    expect(session.items.map((r) => r.operation).sort()).toEqual([
      'AuthorizeRemoteStart',
      'AuthorizeRemoteStart',
      'ChargeDetailRecord',
      'ChargeDetailRecord',
    ]);
    expect((await list('?direction=out')).items.every((r) => r.direction === 'hub→partner')).toBe(true);
    expect((await list('?direction=in')).items.every((r) => r.direction === 'partner→hub')).toBe(true);
    const byPartner = await list('?partner=DECPA');
    expect(byPartner.total).toBe((await list('?partner=DE*CPA')).total);
    expect(byPartner.items.every((r) => r.partnerId === 'DE*CPA')).toBe(true);
    expect((await list('?statusCode=022')).items.map((r) => r.operation)).toEqual(['PushEvseData']);
    expect((await list('?http=500')).items.map((r) => r.operation)).toEqual(['ChargeDetailRecord']);
    expect((await list('?violations=true')).items.map((r) => r.httpStatus)).toContain(400);
    expect((await list('?violations=false')).items.every((r) => r.violations === 0)).toBe(true);
    expect((await list('?q=de*cpa*e2')).items.map((r) => r.operation)).toContain('AuthorizeRemoteStart');
    expect((await list('?q=not-an-evse-id')).total).toBe(1);
    expect((await list('?category=notifications')).total).toBe(0);
  });

  it('returns one exchange in full, with the leg it caused, its session and its CDR state', async () => {
    const upload = (await list(`?forward=NOT_FORWARDED&direction=in`)).items[0];
    const detail = await t.monitor(`/api/exchanges/${upload.id}`);
    expect(detail.status).toBe(200);
    expect(detail.json.exchange.request.body).toMatchObject({ SessionID: failedSession, EvseID: 'DE*CPA*E1' });
    expect(detail.json.exchange.response.body).toMatchObject({ Result: true });
    expect(detail.json.cdr).toMatchObject({ forwardStatus: 'NOT_FORWARDED', forwardInfo: 'HTTP 500' });
    expect(detail.json.session).toMatchObject({
      SessionID: failedSession,
      origin: 'AuthorizeRemoteStart',
      status: 'closed',
      forwardStatus: 'NOT_FORWARDED',
    });
    expect(detail.json.legs).toHaveLength(1);
    expect(detail.json.legs[0]).toMatchObject({ direction: 'hub→partner', httpStatus: 500 });
    const leg = await t.monitor(`/api/exchanges/${detail.json.legs[0].id}`);
    expect(leg.json.cause.id).toBe(upload.id);
  });

  it('lists the leg of a remote start, which HBS recorded before the request that caused it', async () => {
    const start = (await list('?category=remote')).items.find((r) => r.direction === 'partner→hub')!;
    const detail = await t.monitor(`/api/exchanges/${start.id}`);
    expect(detail.json.legs).toHaveLength(1);
    expect(detail.json.legs[0]).toMatchObject({ direction: 'hub→partner', operation: 'AuthorizeRemoteStart' });
    expect(detail.json.legs[0].seq).toBeLessThan(detail.json.row.seq);
  });

  it('answers an unknown exchange id with a 404 error value', async () => {
    const res = await t.monitor('/api/exchanges/nope');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: 'NOT_FOUND', message: 'no exchange "nope" in memory' } });
  });

  it('shows the EVSE state the hub holds, per operator, joining data and status', async () => {
    const res = await t.monitor('/api/evses');
    expect(res.json.total).toBe(2);
    expect(res.json.operators).toHaveLength(1);
    expect(res.json.operators[0]).toMatchObject({ OperatorID: 'DE*CPA', OperatorName: 'Operator DE*CPA' });
    expect(res.json.operators[0].evses).toEqual([
      expect.objectContaining({
        EvseID: 'DE*CPA*E1',
        EvseStatus: 'Available',
        hasData: true,
        ChargingStationName: 'Station DE*CPA*E1',
      }),
      expect.objectContaining({ EvseID: 'DE*CPA*E2', EvseStatus: null, hasData: true, statusUpdatedAt: null }),
    ]);
  });

  it('lists sessions and CDRs from the hub state', async () => {
    const sessions = (await t.monitor('/api/sessions')).json.sessions;
    expect(sessions.map((s: any) => s.SessionID)).toEqual([okSession, failedSession]);
    const cdrs = (await t.monitor('/api/cdrs?forward=NOT_FORWARDED')).json.cdrs;
    expect(cdrs).toEqual([
      expect.objectContaining({
        SessionID: failedSession,
        forwardStatus: 'NOT_FORWARDED',
        forwardInfo: 'HTTP 500',
        ProviderID: 'DE-EMA',
      }),
    ]);
    expect((await t.monitor('/api/cdrs')).json.cdrs).toHaveLength(2);
  });

  it('describes itself: categories with their operations, filter parameters and CSV columns', async () => {
    const meta = (await t.monitor('/api/meta')).json;
    expect(meta.categories.map((c: any) => c.id)).toEqual([
      'all',
      'sessions',
      'authorization',
      'remote',
      'cdr',
      'evse',
      'reservation',
      'notifications',
      'pricing',
      'other',
    ]);
    expect(meta.categories.find((c: any) => c.id === 'remote').operations).toEqual([
      'AuthorizeRemoteStart',
      'AuthorizeRemoteStop',
    ]);
    expect(meta.filterParams).toContain('forward');
  });

  it('never records its own requests as OICP exchanges', async () => {
    const before = t.recorder.all().length;
    await t.monitor('');
    await t.monitor('/api/exchanges');
    await t.monitor('/api/no-such-route');
    expect(t.recorder.all().length).toBe(before);
  });
});
