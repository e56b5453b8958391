import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expectHubMessagesValid,
  type FakeAnswer,
  type FakePartner,
  startFakePartner,
  startTestHub,
  type TestHub,
} from '../../helpers/hub.js';
import { ack, cdr, getCdrs, remoteStart } from '../../helpers/messages.js';

const CDR_PATH = '/cdrmgmt/v22/operators/DE*CPA/charge-detail-record';
const GET_CDRS = '/cdrmgmt/v22/providers/DE-EMA/get-charge-detail-records-request';

// Each test gets its own hub and partners: no state, and no EMP answer, is carried from one test to the next.
describe('ChargeDetailRecord forwarding and GetChargeDetailRecords', () => {
  let t: TestHub;
  let cpo: FakePartner;
  let emp: FakePartner;
  let empAnswer: () => FakeAnswer;
  const startSession = async (): Promise<string> => {
    const res = await t.call(
      'emp-a',
      '/charging/v21/providers/DE-EMA/authorize-remote/start',
      remoteStart('DE-EMA', 'DE*CPA*E1'),
    );
    expect(res.json.Result).toBe(true);
    return res.json.SessionID as string;
  };
  /** A session with its CDR uploaded and its forward settled. */
  const sessionWithCdr = async (): Promise<string> => {
    const sessionId = await startSession();
    expect((await t.call('cpo-a', CDR_PATH, cdr(sessionId, 'DE*CPA*E1'))).json.Result).toBe(true);
    await t.hub.idle();
    return sessionId;
  };
  beforeEach(async () => {
    empAnswer = () => ({ body: ack(true) });
    t = await startTestHub();
    cpo = await startFakePartner(t.certs, 'cpo-a', (_p, b) => ({ body: ack(true, '000', b.SessionID) }));
    emp = await startFakePartner(t.certs, 'emp-a', () => empAnswer());
    t.hub.context.directory.setServiceUrl('cpo-a', 'authorization', cpo.url);
    t.hub.context.directory.setServiceUrl('emp-a', 'authorization', emp.url);
  });
  afterEach(async () => {
    expectHubMessagesValid(t.recorder.all());
    await Promise.all([cpo.close(), emp.close()]);
    await t.close();
  });

  it('stores the CDR, acknowledges the CPO and forwards it to the EMP (FORWARDED)', async () => {
    const sessionId = await startSession();
    const res = await t.call('cpo-a', CDR_PATH, cdr(sessionId, 'DE*CPA*E1'));
    expect(res.json).toMatchObject({ Result: true, StatusCode: { Code: '000' } });
    await t.hub.idle();
    expect(emp.received.at(-1)).toMatchObject({
      path: '/oicp/cdrmgmt/v22/operators/DE*CPA/charge-detail-record',
      body: { SessionID: sessionId },
    });
    expect(t.hub.context.state.cdrs.forSession(sessionId)?.forwardStatus).toBe('FORWARDED');
  });

  it('keeps a CDR the EMP refuses with HTTP 500 as NOT_FORWARDED, without retrying, and serves it', async () => {
    const forwarded = await sessionWithCdr();
    empAnswer = () => ({ status: 500, body: { error: 'boom' } });
    const sessionId = await startSession();
    const before = emp.received.length;
    const res = await t.call('cpo-a', CDR_PATH, cdr(sessionId, 'DE*CPA*E1'));
    expect(res.json.Result).toBe(true);
    await t.hub.idle();
    expect(emp.received.length).toBe(before + 1);
    expect(t.hub.context.state.cdrs.forSession(sessionId)).toMatchObject({
      forwardStatus: 'NOT_FORWARDED',
      forwardInfo: 'HTTP 500',
    });
    const pulled = await t.call('emp-a', GET_CDRS, getCdrs('DE-EMA', { CDRForwarded: false }));
    expect(pulled.json.content.map((c: { SessionID: string }) => c.SessionID)).toEqual([sessionId]);
    const all = await t.call('emp-a', GET_CDRS, getCdrs('DE-EMA'));
    expect(all.json.content.map((c: { SessionID: string }) => c.SessionID).sort()).toEqual(
      [forwarded, sessionId].sort(),
    );
  });

  it('pages GetChargeDetailRecords and filters by SessionID', async () => {
    await sessionWithCdr();
    await sessionWithCdr();
    const page = await t.call('emp-a', `${GET_CDRS}?page=1&size=1`, getCdrs('DE-EMA'));
    expect(page.json).toMatchObject({ number: 1, size: 1, numberOfElements: 1, totalPages: 2, last: true });
    const one = t.hub.context.state.cdrs.all()[0]!.cdr.SessionID;
    const filtered = await t.call('emp-a', GET_CDRS, getCdrs('DE-EMA', { SessionID: [one] }));
    expect(filtered.json.totalElements).toBe(1);
  });

  it('refuses a second CDR for the same session with 400', async () => {
    const sessionId = await startSession();
    expect((await t.call('cpo-a', CDR_PATH, cdr(sessionId, 'DE*CPA*E1'))).json.Result).toBe(true);
    const again = await t.call('cpo-a', CDR_PATH, cdr(sessionId, 'DE*CPA*E1'));
    expect(again.json).toMatchObject({ Result: false, StatusCode: { Code: '400' } });
    expect(again.json.StatusCode.AdditionalInfo).toMatch(/one CDR per SessionID/);
  });

  it('refuses a CDR for an unknown session with 400', async () => {
    const res = await t.call('cpo-a', CDR_PATH, cdr('00000000-0000-0000-0000-000000000001', 'DE*CPA*E1'));
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '400' } });
  });

  it('accepts but flags an inconsistent CDR (energy, time order)', async () => {
    const sessionId = await startSession();
    const bad = { ...cdr(sessionId, 'DE*CPA*E1'), ConsumedEnergy: 99, ChargingEnd: '2026-11-22T09:00:00Z' };
    const res = await t.call('cpo-a', CDR_PATH, bad);
    expect(res.json.Result).toBe(true);
    const violations = t.recorder
      .all()
      .find(
        (x) => x.direction === 'partner→hub' && x.operation === 'ChargeDetailRecord' && x.sessionId === sessionId,
      )!.violations;
    // Each names its rule, which the harness judges by (not by the wording).
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'cdr-energy', message: expect.stringMatching(/ConsumedEnergy 99/) }),
        expect.objectContaining({
          rule: 'cdr-times',
          message: expect.stringMatching(/ChargingEnd .* is before ChargingStart/),
        }),
      ]),
    );
  });
});
