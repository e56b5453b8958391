import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectHubMessagesValid,
  type FakeAnswer,
  type FakePartner,
  startFakePartner,
  startTestHub,
  type TestHub,
  testWorld,
} from '../../helpers/hub.js';
import { ack, authorized, authorizeStart, authorizeStop, notAuthorized } from '../../helpers/messages.js';

const START = '/charging/v21/operators/DE*CPA/authorize/start';
const STOP = '/charging/v21/operators/DE*CPA/authorize/stop';

describe('AuthorizeStart/Stop routing: offline data, then online EMP, then broadcast', () => {
  let t: TestHub;
  let empB: FakePartner;
  let answer: (body: any) => FakeAnswer = (b) => ({
    body:
      b.Identification.RFIDMifareFamilyIdentification.UID === 'AABBCCDD'
        ? authorized('DE-EMB', b.SessionID)
        : notAuthorized('102'),
  });
  beforeAll(async () => {
    t = await startTestHub(testWorld({ timeouts: { authorizeMs: 300, remoteStartMs: 2000, forwardMs: 2000 } }));
    empB = await startFakePartner(t.certs, 'emp-b', (_p, b) => answer(b));
    t.hub.context.directory.setServiceUrl('emp-b', 'authorization', empB.url);
  });
  afterAll(async () => {
    expectHubMessagesValid(t.recorder.all());
    await empB.close();
    await t.close();
  });

  it('broadcasts an RFID UID to EMPs with broadcast on and returns Authorized with a hub SessionID', async () => {
    const res = await t.call('cpo-a', START, authorizeStart('DE*CPA', 'AABBCCDD', 'DE*CPA*E1'));
    expect(res.json).toMatchObject({
      AuthorizationStatus: 'Authorized',
      ProviderID: 'DE-EMB',
      StatusCode: { Code: '000' },
    });
    expect(empB.received.at(-1)!.body.SessionID).toBe(res.json.SessionID);
    expect(empB.received.at(-1)!.path).toBe('/oicp/charging/v21/operators/DE*CPA/authorize/start');
  });

  it('answers NotAuthorized with 106 when no broadcast EMP authorizes the card', async () => {
    const res = await t.call('cpo-a', START, authorizeStart('DE*CPA', '01020304'));
    expect(res.json).toMatchObject({ AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '106' } });
  });

  it('answers NotAuthorized when the EMP answers after the authorization timeout', async () => {
    answer = (b) => ({ body: authorized('DE-EMB', b.SessionID), delayMs: 800 });
    const res = await t.call('cpo-a', START, authorizeStart('DE*CPA', 'AABBCCDD'));
    expect(res.json.AuthorizationStatus).toBe('NotAuthorized');
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/no answer within 300 ms/);
    answer = (b) => ({ body: authorized('DE-EMB', b.SessionID) });
  });

  it('authorizes from uploaded authentication data without asking any EMP, and stops only with the same medium', async () => {
    const push = await t.call('emp-a', '/authdata/v21/providers/DE-EMA/push-request', {
      ActionType: 'fullLoad',
      ProviderAuthenticationData: {
        ProviderID: 'DE-EMA',
        AuthenticationDataRecord: [{ Identification: { RFIDMifareFamilyIdentification: { UID: '11223344' } } }],
      },
    });
    expect(push.json.StatusCode.Code).toBe('000');
    const asked = empB.received.length;
    const start = await t.call('cpo-a', START, authorizeStart('DE*CPA', '11223344'));
    expect(start.json).toMatchObject({ AuthorizationStatus: 'Authorized', ProviderID: 'DE-EMA' });
    expect(empB.received.length).toBe(asked);
    const wrong = await t.call('cpo-a', STOP, authorizeStop('DE*CPA', start.json.SessionID, '99887766'));
    expect(wrong.json).toMatchObject({ AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '102' } });
    const same = await t.call('cpo-a', STOP, authorizeStop('DE*CPA', start.json.SessionID, '11223344'));
    expect(same.json).toMatchObject({ AuthorizationStatus: 'Authorized', ProviderID: 'DE-EMA' });
  });

  it('refuses authentication data with an EvcoID of another provider with 019', async () => {
    const push = await t.call('emp-a', '/authdata/v21/providers/DE-EMA/push-request', {
      ActionType: 'insert',
      ProviderAuthenticationData: {
        ProviderID: 'DE-EMA',
        AuthenticationDataRecord: [
          { Identification: { PlugAndChargeIdentification: { EvcoID: 'DE-EMB-C12345678-X' } } },
        ],
      },
    });
    expect(push.json.StatusCode.Code).toBe('019');
  });

  it('forwards AuthorizeStop of an online session to the EMP that authorized it, and 400 for an unknown session', async () => {
    answer = (b) => ({ body: b.SessionID && b.Identification ? authorized('DE-EMB', b.SessionID) : ack(false) });
    const start = await t.call('cpo-a', START, authorizeStart('DE*CPA', 'AABBCCDD'));
    const stop = await t.call('cpo-a', STOP, authorizeStop('DE*CPA', start.json.SessionID, 'AABBCCDD'));
    expect(stop.json).toMatchObject({ AuthorizationStatus: 'Authorized', SessionID: start.json.SessionID });
    expect(empB.received.at(-1)!.path).toBe('/oicp/charging/v21/operators/DE*CPA/authorize/stop');
    const unknown = await t.call(
      'cpo-a',
      STOP,
      authorizeStop('DE*CPA', '00000000-0000-0000-0000-00000000000f', 'AABBCCDD'),
    );
    expect(unknown.json.StatusCode.Code).toBe('400');
  });

  it('answers 210 in AuthorizationStart for a CPO without any authorization contract', async () => {
    const res = await t.call(
      'cpo-x',
      '/charging/v21/operators/DE*CPX/authorize/start',
      authorizeStart('DE*CPX', 'AABBCCDD'),
    );
    expect(res.json).toMatchObject({ AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '210' } });
  });
});
