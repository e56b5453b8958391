import { afterEach, describe, expect, it } from 'vitest';
import { FrameLog } from '../../../src/ocpp/frames.js';
import {
  type ChargePointOptions,
  MAX_FRAME_BYTES,
  VirtualChargePoint,
} from '../../../src/partners/station/ocpp/charge-point.js';
import { createClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/log.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';
import { startTestCsms, type TestCsms } from '../../helpers/csms.js';
import { closedPort } from '../../helpers/listeners.js';
import { eventually } from '../../helpers/virtual.js';

/**
 * The virtual OCPP 1.6-J charge point against a real CSMS (ocpp-rpc's server, strict OCPP 1.6 schema validation on
 * both ends) on loopback: what it sends, what it answers, and how it fails when the CSMS does.
 */

const EVSE_1 = 'DE*CPA*E0001*1';
const EVSE_2 = 'DE*CPA*E0001*2';
const CARD = '04A1B2C3D4E5F6';

let csms: TestCsms | undefined;
let cp: VirtualChargePoint | undefined;
let certs: TestCerts | undefined;
afterEach(async () => {
  await cp?.close();
  await csms?.close();
  await certs?.cleanup();
  cp = csms = certs = undefined;
});

function chargePoint(
  url: string,
  extra: Partial<ChargePointOptions> = {},
): { cp: VirtualChargePoint; frames: FrameLog } {
  const frames = new FrameLog();
  cp = new VirtualChargePoint({
    id: 'CP-0001',
    url,
    connectors: [
      { connectorId: 1, evseId: EVSE_1, powerKw: 3600, meterStartKWh: 100 },
      { connectorId: 2, evseId: EVSE_2, powerKw: 22, meterStartKWh: 0 },
    ],
    clock: createClock(0.01),
    logger: silentLogger(),
    frames,
    ...extra,
  });
  return { cp, frames };
}

describe('boot and status', () => {
  it('boots, then reports the charge point (connector 0) and every connector Available', async () => {
    csms = await startTestCsms();
    const { cp, frames } = chargePoint(csms.url);
    await cp.connect();
    expect(csms.of('BootNotification')).toEqual([
      expect.objectContaining({ chargePointVendor: expect.any(String), chargePointModel: expect.any(String) }),
    ]);
    expect(csms.of('StatusNotification').map((s) => [s.connectorId, s.status, s.errorCode])).toEqual([
      [0, 'Available', 'NoError'],
      [1, 'Available', 'NoError'],
      [2, 'Available', 'NoError'],
    ]);
    // Every frame, both ways, labelled: the CALLRESULT carries the action of the CALL it answers.
    const boot = frames.all().filter((f) => f.action === 'BootNotification');
    expect(boot.map((f) => [f.direction, f.type])).toEqual([
      ['cp→csms', 'CALL'],
      ['csms→cp', 'CALLRESULT'],
    ]);
    expect(boot[1]!.messageId).toBe(boot[0]!.messageId);
  });

  it('asks again while the CSMS answers Pending, and takes its heartbeat interval', async () => {
    let boots = 0;
    csms = await startTestCsms({
      answers: {
        BootNotification: () => ({
          status: ++boots < 3 ? 'Pending' : 'Accepted',
          currentTime: new Date().toISOString(),
          interval: 10,
        }),
      },
    });
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    expect(boots).toBe(3);
    expect(cp.configuration.get('HeartbeatInterval')).toBe('10');
    // 10 protocol s at time scale 0.01: a heartbeat every 100 ms.
    await eventually(() => csms!.of('Heartbeat').length >= 2, 3000, 'two heartbeats');
  });

  it('a Rejected boot is OCPP_BOOT naming the identity to register, and nothing else is sent', async () => {
    csms = await startTestCsms({
      answers: {
        BootNotification: () => ({ status: 'Rejected', currentTime: new Date().toISOString(), interval: 60 }),
      },
    });
    const { cp } = chargePoint(csms.url);
    await expect(cp.connect()).rejects.toMatchObject({
      code: 'OCPP_BOOT',
      message: expect.stringContaining('register the charge point identity CP-0001'),
    });
    expect(csms.calls.map((c) => c.action)).toEqual(['BootNotification']);
  });

  it('a CSMS that never answers the boot is OCPP_BOOT within the call deadline, not a hang', async () => {
    csms = await startTestCsms({ answers: { BootNotification: () => new Promise(() => {}) } });
    // 2 protocol s at 0.01: 20 ms scaled plus the 1 s the clock allows for real work.
    const { cp } = chargePoint(csms.url, { callTimeoutMs: 2000 });
    const t0 = performance.now();
    await expect(cp.connect()).rejects.toMatchObject({
      code: 'OCPP_BOOT',
      message: "the CSMS did not accept CP-0001's BootNotification: no answer in time",
    });
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('a CSMS that answers with a CALLERROR: the error code is in the message', async () => {
    csms = await startTestCsms({
      answers: {
        BootNotification: () => {
          throw new Error('database down');
        },
      },
    });
    const { cp } = chargePoint(csms.url);
    await expect(cp.connect()).rejects.toMatchObject({
      code: 'OCPP_BOOT',
      message: expect.stringContaining('CALLERROR'),
    });
  });

  it('nothing listening: OCPP_CONNECT naming the URL', async () => {
    const url = `ws://127.0.0.1:${await closedPort()}/ocpp`;
    const { cp } = chargePoint(url);
    await expect(cp.connect()).rejects.toMatchObject({
      code: 'OCPP_CONNECT',
      message: expect.stringContaining(url),
    });
  });
});

describe('security profiles 1 and 2: Basic auth over wss://', () => {
  it('connects over TLS with the right password and the CSMS certificate checked against the given CA', async () => {
    certs = await makeTestCerts([]);
    csms = await startTestCsms({ tls: certs.hub.server, password: 'secret-0001' });
    const { cp } = chargePoint(csms.url.replace('127.0.0.1', 'localhost'), {
      password: 'secret-0001',
      ca: certs.hub.ca,
    });
    await cp.connect();
    expect(csms.of('BootNotification')).toHaveLength(1);
  });

  it('a wrong password is OCPP_CONNECT with the CSMS refusal', async () => {
    certs = await makeTestCerts([]);
    csms = await startTestCsms({ tls: certs.hub.server, password: 'secret-0001' });
    const { cp } = chargePoint(csms.url.replace('127.0.0.1', 'localhost'), { password: 'wrong', ca: certs.hub.ca });
    await expect(cp.connect()).rejects.toMatchObject({
      code: 'OCPP_CONNECT',
      message: expect.stringContaining('answered the WebSocket upgrade with HTTP 401'),
    });
  });

  it('a CSMS certificate from an unknown CA is OCPP_CONNECT', async () => {
    certs = await makeTestCerts([]);
    csms = await startTestCsms({ tls: certs.hub.server });
    const { cp } = chargePoint(csms.url.replace('127.0.0.1', 'localhost'), { ca: certs.foreignCa.ca });
    await expect(cp.connect()).rejects.toMatchObject({ code: 'OCPP_CONNECT' });
  });
});

describe('a charge at the connector', () => {
  it('RFID: Authorize, StartTransaction on the plugged car, MeterValues, then StopTransaction that agrees with the meter', async () => {
    csms = await startTestCsms();
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    cp.configuration.change('MeterValueSampleInterval', '10');
    await cp.plug(1);
    const start = await cp.swipe(1, CARD);
    expect(start).toMatchObject({ action: 'start', authorized: true, transactionId: expect.any(Number) });
    const [begin] = csms.of('StartTransaction');
    expect(begin).toMatchObject({ connectorId: 1, idTag: CARD, meterStart: 100_000 });
    await eventually(() => csms!.of('MeterValues').length >= 1, 3000, 'MeterValues');
    expect(csms.of('MeterValues')[0]).toMatchObject({ connectorId: 1, transactionId: start.transactionId });
    await new Promise((r) => setTimeout(r, 50));
    const stop = await cp.swipe(1, CARD);
    expect(stop).toMatchObject({ action: 'stop', transactionId: start.transactionId });
    const [end] = csms.of('StopTransaction');
    expect(end).toMatchObject({ transactionId: start.transactionId, reason: 'Local', idTag: CARD });
    // 3600 kW for the wall-clock time between the two timestamps, in Wh.
    const hours = (Date.parse(end!.timestamp as string) - Date.parse(begin!.timestamp as string)) / 3_600_000;
    expect(end!.meterStop).toBe(Math.round(100_000 + 3_600_000 * hours));
    expect(end!.meterStop as number).toBeGreaterThan(100_000);
    expect(
      csms
        .of('StatusNotification')
        .filter((s) => s.connectorId === 1)
        .map((s) => s.status),
    ).toEqual(['Available', 'Preparing', 'Charging', 'Finishing']);
    await cp.unplug(1);
    expect(csms.of('StatusNotification').at(-1)).toMatchObject({ connectorId: 1, status: 'Available' });
  });

  it('an idTag the CSMS does not accept starts nothing', async () => {
    csms = await startTestCsms({ answers: { Authorize: () => ({ idTagInfo: { status: 'Invalid' } }) } });
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    await cp.plug(1);
    expect(await cp.swipe(1, CARD)).toEqual({ action: 'start', authorized: false, status: 'Invalid' });
    expect(csms.of('StartTransaction')).toEqual([]);
  });

  it('a transaction the CSMS answers Invalid in StartTransaction.conf ends at once, DeAuthorized', async () => {
    csms = await startTestCsms({
      answers: { StartTransaction: () => ({ idTagInfo: { status: 'Invalid' }, transactionId: 7 }) },
    });
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    await cp.plug(2);
    await cp.swipe(2, CARD);
    expect(csms.of('StopTransaction')).toEqual([expect.objectContaining({ transactionId: 7, reason: 'DeAuthorized' })]);
  });
});

describe('what the CSMS asks of the charge point', () => {
  it('RemoteStartTransaction: Accepted, then StartTransaction with its idTag at its connector; RemoteStop ends it Remote', async () => {
    csms = await startTestCsms();
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    expect(await csms.call('RemoteStartTransaction', { idTag: CARD, connectorId: 2 })).toEqual({ status: 'Accepted' });
    await eventually(() => csms!.of('StartTransaction').length === 1, 3000, 'StartTransaction');
    const [begin] = csms.of('StartTransaction');
    expect(begin).toMatchObject({ connectorId: 2, idTag: CARD });
    const transactionId = cp.view().find((c) => c.id === 2)!.transaction!.transactionId;
    // The CALLRESULT went out before the StartTransaction it caused.
    expect(await csms.call('RemoteStopTransaction', { transactionId })).toEqual({ status: 'Accepted' });
    await eventually(() => csms!.of('StopTransaction').length === 1, 3000, 'StopTransaction');
    expect(csms.of('StopTransaction')[0]).toMatchObject({ transactionId, reason: 'Remote' });
    expect(await csms.call('RemoteStopTransaction', { transactionId })).toEqual({ status: 'Rejected' });
  });

  it('RemoteStartTransaction at a Faulted or unknown connector is Rejected', async () => {
    csms = await startTestCsms();
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    await cp.setStatus(1, 'Faulted', 'GroundFailure');
    expect(csms.of('StatusNotification').at(-1)).toMatchObject({
      connectorId: 1,
      status: 'Faulted',
      errorCode: 'GroundFailure',
    });
    expect(await csms.call('RemoteStartTransaction', { idTag: CARD, connectorId: 1 })).toEqual({ status: 'Rejected' });
    expect(await csms.call('RemoteStartTransaction', { idTag: CARD, connectorId: 9 })).toEqual({ status: 'Rejected' });
  });

  it('ChangeAvailability during a transaction is Scheduled, and Unavailable follows the stop', async () => {
    csms = await startTestCsms();
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    await cp.plug(1);
    await cp.swipe(1, CARD);
    expect(await csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' })).toEqual({
      status: 'Scheduled',
    });
    await cp.stop(1);
    expect(csms.of('StatusNotification').at(-1)).toMatchObject({ connectorId: 1, status: 'Unavailable' });
    expect(await csms.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' })).toEqual({
      status: 'Accepted',
    });
    await eventually(
      () => csms!.of('StatusNotification').some((s) => s.connectorId === 2 && s.status === 'Unavailable'),
      3000,
      'connector 2 Unavailable',
    );
  });

  it('ReserveNow and CancelReservation; a second reservation is Occupied', async () => {
    csms = await startTestCsms();
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    const expiryDate = new Date(Date.now() + 600_000).toISOString();
    expect(await csms.call('ReserveNow', { connectorId: 1, expiryDate, idTag: CARD, reservationId: 5 })).toEqual({
      status: 'Accepted',
    });
    await eventually(() => cp!.view()[0]!.status === 'Reserved', 3000, 'Reserved');
    expect(await csms.call('ReserveNow', { connectorId: 1, expiryDate, idTag: 'OTHER', reservationId: 6 })).toEqual({
      status: 'Occupied',
    });
    expect(await csms.call('CancelReservation', { reservationId: 5 })).toEqual({ status: 'Accepted' });
    expect(await csms.call('CancelReservation', { reservationId: 5 })).toEqual({ status: 'Rejected' });
  });

  it('GetConfiguration names unknown keys; ChangeConfiguration checks types and read-only keys', async () => {
    csms = await startTestCsms();
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    expect(await csms.call('GetConfiguration', { key: ['NumberOfConnectors', 'NoSuchKey'] })).toEqual({
      configurationKey: [{ key: 'NumberOfConnectors', readonly: true, value: '2' }],
      unknownKey: ['NoSuchKey'],
    });
    expect(await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '30' })).toEqual({
      status: 'Accepted',
    });
    expect(await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: 'soon' })).toEqual({
      status: 'Rejected',
    });
    expect(await csms.call('ChangeConfiguration', { key: 'NumberOfConnectors', value: '4' })).toEqual({
      status: 'Rejected',
    });
    expect(await csms.call('ChangeConfiguration', { key: 'Nope', value: '1' })).toEqual({ status: 'NotSupported' });
  });

  it('TriggerMessage StatusNotification is sent after the Accepted answer; an unsupported one is NotImplemented', async () => {
    csms = await startTestCsms();
    const { cp } = chargePoint(csms.url);
    await cp.connect();
    const before = csms.of('StatusNotification').length;
    expect(await csms.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 2 })).toEqual({
      status: 'Accepted',
    });
    await eventually(() => csms!.of('StatusNotification').length === before + 1, 3000, 'triggered status');
    expect(await csms.call('TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' })).toEqual({
      status: 'NotImplemented',
    });
  });
});

describe('a CSMS that misbehaves', () => {
  it('a malformed frame is kept as MALFORMED evidence and the charge point carries on', async () => {
    csms = await startTestCsms();
    const { cp, frames } = chargePoint(csms.url);
    await cp.connect();
    csms.sendRaw('this is not OCPP');
    await eventually(() => frames.all().some((f) => f.type === 'MALFORMED'), 3000, 'MALFORMED frame');
    expect(frames.all().find((f) => f.type === 'MALFORMED')).toMatchObject({
      direction: 'csms→cp',
      text: 'this is not OCPP',
    });
    await cp.plug(1);
    expect(await cp.swipe(1, CARD)).toMatchObject({ authorized: true });
  });

  it('a frame over 1 MiB closes the connection before it is parsed; the charge point reconnects and goes on', async () => {
    csms = await startTestCsms();
    const { cp, frames } = chargePoint(csms.url, { callTimeoutMs: 2000 });
    await cp.connect();
    const statuses = csms.of('StatusNotification').length;
    csms.sendRaw(`[2,"big","DataTransfer",{"vendorId":"x","data":"${'x'.repeat(MAX_FRAME_BYTES)}"}]`);
    // Back on a new socket, it reports its connectors again.
    await eventually(() => csms!.of('StatusNotification').length >= statuses + 2, 5000, 'statuses after reconnecting');
    expect(frames.all().some((f) => f.messageId === 'big')).toBe(false);
    await cp.plug(1);
    expect(await cp.swipe(1, CARD)).toMatchObject({ authorized: true });
  });

  it('a CSMS that drops the connection: the charge point reconnects, reports its connectors again and goes on', async () => {
    csms = await startTestCsms();
    const { cp } = chargePoint(csms.url, { callTimeoutMs: 2000 });
    await cp.connect();
    const before = csms.of('StatusNotification').length;
    await csms.drop();
    // Made while the socket is down, the call waits for the reconnection instead of failing.
    await cp.plug(1);
    const after = csms.calls
      .slice(-4)
      .map((c) => `${c.action} ${String(c.params.connectorId)} ${String(c.params.status)}`);
    expect(after).toEqual(expect.arrayContaining(['StatusNotification 1 Preparing']));
    await eventually(() => csms!.of('StatusNotification').length >= before + 3, 3000, 'statuses after reconnecting');
    expect(await cp.swipe(1, CARD)).toMatchObject({ authorized: true, transactionId: expect.any(Number) });
  });

  it('a CSMS gone for good: an action is OCPP_CALL within the call deadline, not a hang', async () => {
    csms = await startTestCsms();
    const { cp } = chargePoint(csms.url, { callTimeoutMs: 2000 });
    await cp.connect();
    await csms.close();
    csms = undefined;
    const t0 = performance.now();
    await expect(cp.plug(1)).rejects.toMatchObject({
      code: 'OCPP_CALL',
      message: expect.stringContaining('StatusNotification'),
    });
    // 2 protocol s at 0.01: 20 ms plus the 1 s allowance.
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
