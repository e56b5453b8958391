import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  expectHubMessagesValid,
  type FakeAnswer,
  type FakePartner,
  startFakePartner,
  startTestHub,
  type TestHub,
  testWorld,
} from '../../helpers/hub.js';
import { ack, evseRecord, pushEvseData, remoteStart, remoteStop } from '../../helpers/messages.js';

const START = '/charging/v21/providers/DE-EMA/authorize-remote/start';
const STOP = '/charging/v21/providers/DE-EMA/authorize-remote/stop';

describe('AuthorizeRemoteStart/Stop forwarding', () => {
  let t: TestHub;
  let cpo: FakePartner;
  let answer: (path: string, body: any) => FakeAnswer = (_p, b) => ({ body: ack(true, '000', b.SessionID) });
  beforeAll(async () => {
    t = await startTestHub(testWorld({ timeouts: { authorizeMs: 2000, remoteStartMs: 400, forwardMs: 2000 } }));
    cpo = await startFakePartner(t.certs, 'cpo-a', (p, b) => answer(p, b));
    t.hub.context.directory.setServiceUrl('cpo-a', 'authorization', cpo.url);
    const pushed = await t.call(
      'cpo-a',
      '/evsepush/v23/operators/DE*CPA/data-records',
      pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1'), evseRecord('DE*CPA*E2', { IsHubjectCompatible: false })]),
    );
    expect(pushed.json.StatusCode.Code).toBe('000');
  });
  afterEach(() => {
    answer = (_p, b) => ({ body: ack(true, '000', b.SessionID) });
  });
  afterAll(async () => {
    expectHubMessagesValid(t.recorder.all());
    await cpo.close();
    await t.close();
  });

  it('forwards to the CPO with a hub-minted SessionID over mTLS and relays its answer', async () => {
    const before = cpo.received.length;
    const res = await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E1'));
    expect(res.json).toMatchObject({ Result: true, StatusCode: { Code: '000' } });
    expect(res.json.SessionID).toMatch(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/);
    const got = cpo.received[before]!;
    expect(got.path).toBe('/oicp/charging/v21/providers/DE-EMA/authorize-remote/start');
    expect(got.body).toMatchObject({ ProviderID: 'DE-EMA', EvseID: 'DE*CPA*E1', SessionID: res.json.SessionID });
    expect(got.clientCn).toBe('Hubject HBS (simulated)');
    const forwarded = t.recorder
      .all()
      .find((x) => x.direction === 'hub→partner' && x.sessionId === res.json.SessionID)!;
    expect(forwarded.causeId).toBe(
      t.recorder.all().find((x) => x.direction === 'partner→hub' && x.sessionId === res.json.SessionID)!.id,
    );
  });

  it('answers 603 for an EvseID the CPO never uploaded, without contacting the CPO', async () => {
    const before = cpo.received.length;
    const res = await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E404'));
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '603' } });
    expect(cpo.received.length).toBe(before);
  });

  it('answers 604 for an EVSE marked IsHubjectCompatible=false', async () => {
    const res = await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E2'));
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '604' } });
  });

  it('answers 310 when the CPO does not answer within the remote-start timeout', async () => {
    answer = (_p, b) => ({ body: ack(true, '000', b.SessionID), delayMs: 1500 });
    const started = Date.now();
    const res = await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E1'));
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '310' } });
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/no answer within 400 ms/);
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('relays a negative CPO answer with its code and invalidates the session', async () => {
    answer = (_p, b) => ({ body: ack(false, '602', b.SessionID) });
    const res = await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E1'));
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '602' } });
    const stop = await t.call('emp-a', STOP, remoteStop('DE-EMA', 'DE*CPA*E1', res.json.SessionID));
    expect(stop.json.StatusCode.Code).toBe('400');
  });

  it('flags a CPO answer that does not echo the hub SessionID', async () => {
    answer = () => ({ body: ack(true, '000', '11111111-2222-3333-4444-555555555555') });
    const res = await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E1'));
    const forwarded = t.recorder
      .all()
      .find((x) => x.direction === 'hub→partner' && x.sessionId === res.json.SessionID)!;
    expect(forwarded.violations.map((v) => v.message).join()).toMatch(/not the hub's/);
  });

  it('forwards a remote stop of a running session and answers 400 for an unknown one', async () => {
    const start = await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E1'));
    const stop = await t.call('emp-a', STOP, remoteStop('DE-EMA', 'DE*CPA*E1', start.json.SessionID));
    expect(stop.json).toMatchObject({ Result: true, SessionID: start.json.SessionID });
    expect(cpo.received.at(-1)!.path).toBe('/oicp/charging/v21/providers/DE-EMA/authorize-remote/stop');
    const unknown = await t.call(
      'emp-a',
      STOP,
      remoteStop('DE-EMA', 'DE*CPA*E1', '00000000-0000-0000-0000-000000000000'),
    );
    expect(unknown.json).toMatchObject({ Result: false, StatusCode: { Code: '400' } });
  });

  it('answers 210 for an EMP without a contract and 300 for an unknown operator', async () => {
    const noContract = await t.call(
      'emp-x',
      '/charging/v21/providers/DE-EMX/authorize-remote/start',
      remoteStart('DE-EMX', 'DE*CPA*E1'),
    );
    expect(noContract.json.StatusCode.Code).toBe('210');
    const unknown = await t.call('emp-a', START, remoteStart('DE-EMA', 'DE*ZZZ*E1'));
    expect(unknown.json.StatusCode.Code).toBe('300');
  });

  it('answers 310 when the CPO has no service URL configured', async () => {
    const res = await t.call(
      'emp-x',
      '/charging/v21/providers/DE-EMX/authorize-remote/start',
      remoteStart('DE-EMX', 'DE*CPX*E1'),
    );
    expect(res.json.StatusCode.Code).toBe('210');
  });
});
