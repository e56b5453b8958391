import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePartner, startFakePartner } from '../../helpers/hub.js';
import type { VirtualWorld } from '../../helpers/virtual.js';
import { eventually, startVirtualWorld } from '../../helpers/virtual.js';

// The two "done when" flows of the virtual counterparts: a partner system under test (my-emp, my-cpo), reached over
// real mTLS, exercised end to end by the virtual station and the virtual EMP.
let w: VirtualWorld;
let empBackend: FakePartner;
let cpoBackend: FakePartner;

beforeAll(async () => {
  w = await startVirtualWorld();
  empBackend = await startFakePartner(w.certs, 'my-emp', (_path, body) => ({
    body: { Result: true, StatusCode: { Code: '000' }, SessionID: body?.SessionID },
  }));
  cpoBackend = await startFakePartner(w.certs, 'my-cpo', (_path, body) => ({
    body: {
      Result: true,
      StatusCode: { Code: '000' },
      SessionID: body?.SessionID,
      CPOPartnerSessionID: 'my-cpo-session-1',
    },
  }));
  const dir = w.hub.context.directory;
  dir.setServiceUrl('my-emp', 'authorization', empBackend.url);
  dir.setServiceUrl('my-emp', 'chargingNotifications', empBackend.url);
  dir.setServiceUrl('my-cpo', 'authorization', cpoBackend.url);
});
afterAll(async () => {
  await empBackend?.close();
  await cpoBackend?.close();
  await w?.close();
});

describe('an EMP under test charges at a virtual EVSE', () => {
  it('remote start → notifications → remote stop → CDR at the EMP endpoint', async () => {
    const start = await w.call('my-emp', '/charging/v21/providers/DE-MYE/authorize-remote/start', {
      ProviderID: 'DE-MYE',
      EvseID: 'DE*VCP*E0002*1',
      Identification: { RemoteIdentification: { EvcoID: 'DE-MYE-C00000001-1' } },
    });
    expect(start.json).toMatchObject({ Result: true, StatusCode: { Code: '000' } });
    const sid: string = start.json.SessionID;
    const startN = await eventually(
      () => empBackend.received.find((r) => r.body?.Type === 'Start' && r.body.SessionID === sid),
      3000,
      'Start',
    );
    expect(startN.path).toBe('/oicp/notificationmgmt/v11/charging-notifications');
    expect(startN.clientCn).toBe('Hubject HBS (simulated)');
    await eventually(
      () => empBackend.received.some((r) => r.body?.Type === 'Progress' && r.body.SessionID === sid),
      3000,
      'Progress',
    );

    const stop = await w.call('my-emp', '/charging/v21/providers/DE-MYE/authorize-remote/stop', {
      ProviderID: 'DE-MYE',
      EvseID: 'DE*VCP*E0002*1',
      SessionID: sid,
    });
    expect(stop.json).toMatchObject({ Result: true, SessionID: sid });
    const cdr = await eventually(
      () => empBackend.received.find((r) => r.path.includes('charge-detail-record') && r.body.SessionID === sid),
      3000,
      'CDR',
    );
    expect(cdr.path).toBe('/oicp/cdrmgmt/v22/operators/DE*VCP/charge-detail-record');
    expect(cdr.body).toMatchObject({
      EvseID: 'DE*VCP*E0002*1',
      Identification: { RemoteIdentification: { EvcoID: 'DE-MYE-C00000001-1' } },
      HubProviderID: 'DE-MYE',
    });
    expect(
      empBackend.received
        .filter((r) => r.body?.SessionID === sid)
        .map((r) => r.body.Type ?? 'CDR')
        .filter((t) => t !== 'Progress'),
    ).toEqual(['Start', 'End', 'CDR']);
    await w.hub.idle();
    expect(w.hub.context.state.cdrs.forSession(sid)?.forwardStatus).toBe('FORWARDED');
  });
});

describe('a CPO under test is driven by the virtual EMP', () => {
  it('remote start and stop reach the CPO endpoint; its CDR is forwarded to and accepted by the virtual EMP', async () => {
    const emp = w.actors.emp('virtual-emp')!;
    const start = await emp.remoteStart({ evseId: 'DE*MYC*E1*1', customer: 'Bob' });
    expect(start.ok && start.body).toMatchObject({ Result: true, CPOPartnerSessionID: 'my-cpo-session-1' });
    const sid = start.ok ? start.body.SessionID! : '';
    const atCpo = cpoBackend.received.find((r) => r.body?.SessionID === sid)!;
    expect(atCpo.path).toBe('/oicp/charging/v21/providers/DE-VEM/authorize-remote/start');
    expect(atCpo.body).toMatchObject({
      ProviderID: 'DE-VEM',
      EvseID: 'DE*MYC*E1*1',
      Identification: { RemoteIdentification: { EvcoID: 'DE-VEM-C00000002-2' } },
    });

    const stop = await emp.remoteStop({ sessionId: sid });
    expect(stop.ok && stop.body.Result).toBe(true);
    expect(cpoBackend.received.at(-1)?.path).toBe('/oicp/charging/v21/providers/DE-VEM/authorize-remote/stop');

    const t0 = Date.now() - 3_600_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const cdr = await w.call('my-cpo', '/cdrmgmt/v22/operators/DE*MYC/charge-detail-record', {
      SessionID: sid,
      CPOPartnerSessionID: 'my-cpo-session-1',
      EvseID: 'DE*MYC*E1*1',
      Identification: { RemoteIdentification: { EvcoID: 'DE-VEM-C00000002-2' } },
      SessionStart: iso(t0),
      ChargingStart: iso(t0 + 60_000),
      ChargingEnd: iso(t0 + 1_860_000),
      SessionEnd: iso(t0 + 1_900_000),
      MeterValueStart: 100,
      MeterValueEnd: 105.5,
      ConsumedEnergy: 5.5,
    });
    expect(cdr.json).toMatchObject({ Result: true, StatusCode: { Code: '000' } });
    const received = await eventually(
      () => emp.receivedCdrs().find((c) => c.cdr.SessionID === sid),
      3000,
      'CDR at the virtual EMP',
    );
    expect(received.cdr.ConsumedEnergy).toBe(5.5);
    await w.hub.idle();
    expect(w.hub.context.state.cdrs.forSession(sid)?.forwardStatus).toBe('FORWARDED');
  });
});

describe('the control surface over HTTP', () => {
  const control = (path: string, body?: unknown, method = 'POST') => {
    const origin = new URL(w.hub.url).origin;
    return import('../../helpers/http.js').then(({ post }) =>
      post(`${origin}/_sim${path}`, body, { ca: w.certs.hub.ca, method }),
    );
  };

  it('lists the actors, plugs, swipes and reads an EVSE', async () => {
    const index = await control('', undefined, 'GET');
    expect(index.status).toBe(200);
    expect(index.json.stations[0].key).toBe('virtual-cpo');
    expect(index.json.emps[0].ProviderID).toBe('DE-VEM');
    const plug = await control('/evses/DE*VCP*E0001*2/plug');
    expect(plug.json).toMatchObject({ EvseID: 'DE*VCP*E0001*2', plugged: true });
    const swipe = await control('/evses/DE*VCP*E0001*2/swipe', { uid: '1A2B3C4D' });
    expect(swipe.json).toMatchObject({ action: 'start', authorized: true, done: true });
    await eventually(
      () =>
        w.actors
          .station('virtual-cpo')!
          .view()
          .find((e) => e.EvseID === 'DE*VCP*E0001*2')?.session?.phase === 'charging',
      3000,
      'charging',
    );
    const read = await control('/evses/DE*VCP*E0001*2', undefined, 'GET');
    expect(read.json.session.phase).toBe('charging');
    expect(read.json.activity.map((a: { kind: string }) => a.kind)).toContain('charging-start');
    expect((await control('/evses/DE*VCP*E0001*2/unplug')).json.plugged).toBe(false);
  });

  it('answers bad input with 400, a refused action with 409, an unknown EVSE with 404 — all JSON', async () => {
    const bad = await control('/faults', { kind: 'delay' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'SIM_INPUT' });
    expect(bad.json.error.fieldErrors[0].path).toBe('/delayMs');
    const badCard = await control('/evses/DE*VCP*E0001*2/swipe', { uid: 'not-a-card' });
    expect(badCard.status).toBe(400);
    expect(badCard.json.error.message).toContain('not an RFID UID');
    const conflict = await control('/evses/DE*VCP*E0001*2/stop');
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.code).toBe('SIM_ACTION');
    // An error needs a running charge; a QR code needs a contract ID
    expect((await control('/evses/DE*VCP*E0001*2/error', { errorType: 'ConnectorError' })).status).toBe(409);
    const badError = await control('/evses/DE*VCP*E0001*2/error', { errorType: 'Connector Error' });
    expect(badError.status).toBe(400);
    expect(badError.json.error.message).toContain('ConnectorError, CriticalError');
    expect((await control('/evses/DE*VCP*E0001*2/scan-qr', { evcoId: 'nope', pin: '1' })).status).toBe(400);
    const unknown = await control('/evses/DE*VCP*E9999*1/plug');
    expect(unknown.status).toBe(404);
    const notJson = await import('../../helpers/http.js').then(({ post }) =>
      post(`${new URL(w.hub.url).origin}/_sim/faults`, undefined, { ca: w.certs.hub.ca, raw: '{oops' }),
    );
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.code).toBe('SIM_INPUT');
  });

  it('arms, lists and clears a fault', async () => {
    const armed = await control('/faults', {
      kind: 'reject',
      operation: 'AuthorizeRemoteStart',
      code: '602',
      actor: 'virtual-cpo',
    });
    expect(armed.json).toMatchObject({ id: expect.stringMatching(/^f\d+$/), kind: 'reject', times: 1, used: 0 });
    expect((await control('/faults', undefined, 'GET')).json).toHaveLength(1);
    expect((await control(`/faults/${armed.json.id}`, undefined, 'DELETE')).json).toEqual({ cleared: 1 });
    expect((await control(`/faults/${armed.json.id}`, undefined, 'DELETE')).status).toBe(404);
  });

  it('the OICP routes are untouched: /_sim is not an OICP path and OICP paths are not control routes', async () => {
    const oicp = await w.call('my-emp', '/_sim', {});
    expect(oicp.status).toBe(404);
  });
});
