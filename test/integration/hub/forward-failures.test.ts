import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub, testPartners, testWorld } from '../../helpers/hub.js';
import { authorizeStart, cdr, remoteStart } from '../../helpers/messages.js';

const START = '/charging/v21/operators/DE*CPA/authorize/start';
const CDR = '/cdrmgmt/v22/operators/DE*CPA/charge-detail-record';
const AUTH_DATA = '/authdata/v21/providers/DE-EMA/push-request';
const REMOTE_START = '/charging/v21/providers/DE-EMA/authorize-remote/start';
const MISSING_CA = '/nonexistent/hbs-sim-test/ca.crt';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

/**
 * A forward that fails inside HBS, before anything goes on the wire (here: the CA file registered for the partner's
 * server certificate cannot be read), is that partner not answering: never an unhandled rejection that ends the
 * process, never a CDR left PENDING.
 */
describe('a forward that fails inside the hub is answered, not lost', () => {
  let t: TestHub;
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    const partners = testPartners().map((p) =>
      ['cpo-a', 'emp-a', 'emp-b'].includes(p.key) ? { ...p, serverCaFile: MISSING_CA } : p,
    );
    t = await startTestHub(testWorld({}, partners));
    t.hub.context.directory.setServiceUrl('emp-b', 'authorization', 'https://127.0.0.1:9/oicp');
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await t.close();
  });

  it('answers a broadcast AuthorizeStart NotAuthorized (106) naming the failure', async () => {
    const res = await t.call('cpo-a', START, authorizeStart('DE*CPA', 'AABBCCDD'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '106' } });
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/DE-EMB: HBS could not send the request: .*ENOENT/);
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  });

  it('marks a CDR NOT_FORWARDED with the reason instead of leaving it PENDING', async () => {
    const push = await t.call('emp-a', AUTH_DATA, {
      ActionType: 'fullLoad',
      ProviderAuthenticationData: {
        ProviderID: 'DE-EMA',
        AuthenticationDataRecord: [{ Identification: { RFIDMifareFamilyIdentification: { UID: '11223344' } } }],
      },
    });
    expect(push.json.StatusCode.Code).toBe('000');
    const start = await t.call('cpo-a', START, authorizeStart('DE*CPA', '11223344', 'DE*CPA*E1'));
    expect(start.json).toMatchObject({ AuthorizationStatus: 'Authorized', ProviderID: 'DE-EMA' });
    const sessionId = start.json.SessionID as string;
    t.hub.context.directory.setServiceUrl('emp-a', 'authorization', 'https://127.0.0.1:9/oicp');
    const res = await t.call('cpo-a', CDR, cdr(sessionId, 'DE*CPA*E1'));
    expect(res.json).toMatchObject({ Result: true, StatusCode: { Code: '000' } });
    await t.hub.idle();
    const stored = t.hub.context.state.cdrs.forSession(sessionId)!;
    expect(stored.forwardStatus).toBe('NOT_FORWARDED');
    expect(stored.forwardInfo).toMatch(/HBS could not send the request: .*ENOENT/);
    expect(unhandled).toEqual([]);
  });

  it('answers a remote start 310 and invalidates its session, as when the CPO does not answer', async () => {
    t.hub.context.directory.setServiceUrl('cpo-a', 'authorization', 'https://127.0.0.1:9/oicp');
    const res = await t.call('emp-a', REMOTE_START, remoteStart('DE-EMA', 'DE*CPA*E1'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '310' } });
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/HBS could not send the request: .*ENOENT/);
    expect(t.hub.context.state.sessions.get(res.json.SessionID)?.status).toBe('rejected');
  });
});
