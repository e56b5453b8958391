import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Exchange } from '../../../src/shared/exchange.js';
import type { VirtualWorld } from '../../helpers/virtual.js';
import { eventually, startVirtualWorld } from '../../helpers/virtual.js';

// Hub deadlines of 800 protocol seconds = 1.8 s real under the test time scale (0.8 s + 1 s allowance), so a delay
// of 2000 protocol seconds (3 s of processing) is past them.
let w: VirtualWorld;
beforeAll(async () => {
  w = await startVirtualWorld({
    hub: { timeouts: { authorizeMs: 800_000, remoteStartMs: 800_000, forwardMs: 800_000 } },
  });
});
afterAll(async () => w?.close());
beforeEach(() => {
  w.actors.faults.clear();
});

const station = () => w.actors.station('virtual-cpo')!;
const emp = () => w.actors.emp('virtual-emp')!;
const ALICE_CARD = '04A1B2C3D4E5F6';
const since = (n: number): Exchange[] => w.recorder.all().slice(n);
const evse = (id: string) =>
  station()
    .view()
    .find((e) => e.EvseID === id)!;

async function freeEvse(id: string): Promise<void> {
  const s = evse(id).session;
  if (s) station().stop(id);
  await eventually(() => evse(id).status === 'Available' && !evse(id).session, 3000, `${id} Available`);
  await w.actors.idle();
  await w.hub.idle();
}

describe('RFID: the station swipes through HBS to the EMP', () => {
  it('a customer card is authorized, charges, and the same card stops it with AuthorizeStop', async () => {
    const start = await station().swipe('DE*VCP*E0001*1', ALICE_CARD);
    expect(start).toMatchObject({ action: 'start', authorized: true, done: true, providerId: 'DE-VEM' });
    await eventually(() => evse('DE*VCP*E0001*1').session?.phase === 'charging', 3000, 'charging');
    const n = w.recorder.all().length;
    const stop = await station().swipe('DE*VCP*E0001*1', ALICE_CARD);
    expect(stop).toMatchObject({ action: 'stop', authorized: true, done: true, SessionID: start.SessionID });
    const authorizeStop = since(n).find((x) => x.operation === 'AuthorizeStop' && x.direction === 'partner→hub')!;
    expect((authorizeStop.request.body as { Identification: unknown }).Identification).toEqual({
      RFIDMifareFamilyIdentification: { UID: ALICE_CARD },
    });
    await eventually(
      () =>
        emp()
          .receivedCdrs()
          .find((c) => c.cdr.SessionID === start.SessionID),
      3000,
      'CDR',
    );
    await freeEvse('DE*VCP*E0001*1');
  });

  it('a blocked card: the EMP answers NotAuthorized 102, HBS tells the station 106 (no EMP authorized the broadcast)', async () => {
    const n = w.recorder.all().length;
    const r = await station().swipe('DE*VCP*E0001*1', '0BADCAFE');
    expect(r).toMatchObject({ action: 'start', authorized: false, done: false });
    expect(r.statusCode?.Code).toBe('106');
    const empLeg = since(n).find(
      (x) => x.operation === 'AuthorizeStart' && x.direction === 'hub→partner' && x.partnerId === 'DE-VEM',
    )!;
    expect(empLeg.response?.body).toMatchObject({ AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '102' } });
    expect(evse('DE*VCP*E0001*1').status).toBe('Available');
  });

  it("another customer's card cannot stop a session", async () => {
    const start = await station().swipe('DE*VCP*E0001*2', ALICE_CARD);
    await eventually(() => evse('DE*VCP*E0001*2').session?.phase === 'charging', 3000, 'charging');
    const bob = await station().swipe('DE*VCP*E0001*2', '1A2B3C4D');
    expect(bob).toMatchObject({ action: 'stop', authorized: false, done: false, SessionID: start.SessionID });
    expect(evse('DE*VCP*E0001*2').session?.phase).toBe('charging');
    await freeEvse('DE*VCP*E0001*2');
  });
});

describe('QR code: the driver scans the EVSE and types her PIN', () => {
  const ALICE_CONTRACT = 'DE-VEM-C00000001-1';

  it('sends the PIN in clear (never HashedPIN), charges, and the same QR code stops it', async () => {
    await freeEvse('DE*VCP*E0001*1');
    const n = w.recorder.all().length;
    const start = await station().scanQr('DE*VCP*E0001*1', ALICE_CONTRACT, '2468');
    expect(start).toMatchObject({ action: 'start', authorized: true, done: true, providerId: 'DE-VEM' });
    const sent = since(n).find((x) => x.operation === 'AuthorizeStart' && x.direction === 'partner→hub')!;
    expect((sent.request.body as { Identification: unknown }).Identification).toEqual({
      QRCodeIdentification: { EvcoID: ALICE_CONTRACT, PIN: '2468' },
    });
    expect(sent.violations).toEqual([]);
    expect(evse('DE*VCP*E0001*1').session?.origin).toBe('qr');
    const stop = await station().scanQr('DE*VCP*E0001*1', ALICE_CONTRACT, '2468');
    expect(stop).toMatchObject({ action: 'stop', authorized: true, done: true, SessionID: start.SessionID });
    await freeEvse('DE*VCP*E0001*1');
  });

  it('a wrong PIN is NotAuthorized and nothing starts', async () => {
    const r = await station().scanQr('DE*VCP*E0001*1', ALICE_CONTRACT, '1111');
    expect(r).toMatchObject({ action: 'start', authorized: false, done: false });
    expect(evse('DE*VCP*E0001*1').session).toBeUndefined();
  });

  it('refuses what no QR code holds, before anything is sent', async () => {
    const n = w.recorder.all().length;
    await expect(station().scanQr('DE*VCP*E0001*1', 'not-a-contract', '2468')).rejects.toMatchObject({
      code: 'SIM_INPUT',
    });
    await expect(station().scanQr('DE*VCP*E0001*1', ALICE_CONTRACT, '')).rejects.toMatchObject({ code: 'SIM_INPUT' });
    await expect(station().scanQr('DE*VCP*E0001*1', ALICE_CONTRACT, '1'.repeat(21))).rejects.toMatchObject({
      code: 'SIM_INPUT',
    });
    expect(w.recorder.all().length).toBe(n);
  });
});

describe('an error during a charge', () => {
  it('sends the Error notification first, then ends the session with End and the CDR', async () => {
    await freeEvse('DE*VCP*E0001*1');
    const start = await station().swipe('DE*VCP*E0001*1', ALICE_CARD);
    const notified = (type: string) =>
      w.recorder
        .all()
        .some(
          (x) =>
            x.operation === 'ChargingNotification' &&
            x.direction === 'partner→hub' &&
            (x.request.body as { SessionID?: string; Type?: string }).SessionID === start.SessionID &&
            (x.request.body as { Type?: string }).Type === type,
        );
    await eventually(() => notified('Start'), 3000, 'Start notification recorded');
    const n = w.recorder.all().length;
    station().reportError('DE*VCP*E0001*1', 'CriticalError', 'Residual current detected');
    await eventually(
      () =>
        emp()
          .receivedCdrs()
          .find((c) => c.cdr.SessionID === start.SessionID),
      3000,
      'CDR',
    );
    // (Progress notifications may come in between under the test's time scale; they are not this test's business.)
    const sent = since(n).filter(
      (x) =>
        x.operation === 'ChargingNotification' &&
        x.direction === 'partner→hub' &&
        (x.request.body as { Type: string }).Type !== 'Progress',
    );
    expect(sent.map((x) => (x.request.body as { Type: string }).Type)).toEqual(['Error', 'End']);
    expect(sent[0]!.request.body).toMatchObject({
      SessionID: start.SessionID,
      EvseID: 'DE*VCP*E0001*1',
      ErrorType: 'CriticalError',
      ErrorAdditionalInfo: 'Residual current detected',
    });
    expect(sent[0]!.violations).toEqual([]);
    expect(
      emp()
        .receivedNotifications(start.SessionID)
        .map((r) => r.notification.Type)
        .filter((t) => t !== 'Progress'),
    ).toEqual(['Start', 'Error', 'End']);
    await freeEvse('DE*VCP*E0001*1');
  });

  it('refuses an unknown ErrorType, overlong info, and an EVSE without a running charge', () => {
    expect(() => station().reportError('DE*VCP*E0001*1', 'Connector Error')).toThrow(/ConnectorError, CriticalError/);
    expect(() => station().reportError('DE*VCP*E0001*1', 'ConnectorError')).toThrow(/no running session/);
    expect(() => station().reportError('DE*VCP*E0001*1', 'ConnectorError', 'x'.repeat(251))).toThrow(/250/);
  });
});

describe('session end', () => {
  it("sends a session's notifications and CDR one after the other, each once HBS has answered the one before", async () => {
    await freeEvse('DE*VCP*E0001*1');
    // 300 protocol s of processing = 1.3 s real: under the 1.8 s hub deadline, far over the 1 ms CDR delay.
    w.actors.faults.arm({
      kind: 'delay',
      actor: 'virtual-emp',
      operation: 'ChargingNotification',
      delayMs: 300_000,
      times: 0,
    });
    const start = await station().swipe('DE*VCP*E0001*1', ALICE_CARD);
    await eventually(() => evse('DE*VCP*E0001*1').session?.phase === 'charging', 3000, 'charging');
    // Stopped while the EMP still holds the Start notification.
    station().stop('DE*VCP*E0001*1');
    await eventually(
      () =>
        emp()
          .receivedCdrs()
          .find((c) => c.cdr.SessionID === start.SessionID),
      5000,
      'CDR',
    );
    const fromCpo = w.recorder
      .all()
      .filter(
        (x) =>
          x.direction === 'partner→hub' && (x.request.body as { SessionID?: string }).SessionID === start.SessionID,
      );
    const sent = fromCpo.filter(
      (x) =>
        x.operation === 'ChargeDetailRecord' ||
        (x.operation === 'ChargingNotification' && (x.request.body as { Type: string }).Type !== 'Progress'),
    );
    expect(
      sent.map((x) => (x.operation === 'ChargeDetailRecord' ? 'CDR' : (x.request.body as { Type: string }).Type)),
    ).toEqual(['Start', 'End', 'CDR']);
    for (const [before, after] of [
      [sent[0]!, sent[1]!],
      [sent[1]!, sent[2]!],
    ] as const) {
      expect(before.response?.status).toBe(200);
      expect(Date.parse(after.startedAt)).toBeGreaterThanOrEqual(Date.parse(before.startedAt) + before.durationMs);
    }
    w.actors.faults.clear();
    await freeEvse('DE*VCP*E0001*1');
  });
});

describe('faults armed on purpose show on the wire', () => {
  it('delay past the hub deadline: the EMP gets 310 for its remote start', async () => {
    w.actors.faults.arm({ kind: 'delay', operation: 'AuthorizeRemoteStart', delayMs: 2_000_000 });
    const r = await emp().remoteStart({ evseId: 'DE*VCP*E0001*1' });
    expect(r.ok && r.body.Result).toBe(false);
    expect(r.ok && r.body.StatusCode.Code).toBe('310');
    const leg = w.recorder
      .all()
      .filter((x) => x.operation === 'AuthorizeRemoteStart' && x.direction === 'hub→partner')
      .at(-1)!;
    expect(leg.transportError?.code).toBe('timeout');
  });

  it('delay at the EMP past the authorize deadline: the station gets NotAuthorized', async () => {
    await freeEvse('DE*VCP*E0001*1');
    w.actors.faults.arm({ kind: 'delay', actor: 'virtual-emp', operation: 'AuthorizeStart', delayMs: 2_000_000 });
    const r = await station().swipe('DE*VCP*E0001*1', ALICE_CARD);
    expect(r.authorized).toBe(false);
    expect(['310', '106']).toContain(r.statusCode?.Code);
  });

  it('reject with a code: the EMP sees Result false with exactly that code', async () => {
    await freeEvse('DE*VCP*E0001*1');
    w.actors.faults.arm({ kind: 'reject', operation: 'AuthorizeRemoteStart', evseId: 'DE*VCP*E0001*1', code: '501' });
    const r = await emp().remoteStart({ evseId: 'DE*VCP*E0001*1' });
    expect(r.ok && r.body.StatusCode.Code).toBe('501');
    expect(r.ok && r.body.Result).toBe(false);
  });

  it('HTTP 500 on a forwarded CDR leaves it NOT_FORWARDED at the hub', async () => {
    w.actors.faults.arm({ kind: 'http500', actor: 'virtual-emp', operation: 'ChargeDetailRecord' });
    const start = await emp().remoteStart({ evseId: 'DE*VCP*E0001*1' });
    const sid = start.ok ? start.body.SessionID! : '';
    await eventually(() => evse('DE*VCP*E0001*1').session?.phase === 'charging', 3000, 'charging');
    await emp().remoteStop({ sessionId: sid });
    await eventually(
      () => w.hub.context.state.cdrs.forSession(sid)?.forwardStatus === 'NOT_FORWARDED',
      3000,
      'NOT_FORWARDED',
    );
    const leg = w.recorder
      .all()
      .find((x) => x.operation === 'ChargeDetailRecord' && x.direction === 'hub→partner' && x.sessionId === sid)!;
    expect(leg.response?.status).toBe(500);
    await freeEvse('DE*VCP*E0001*1');
  });

  it('close the connection: the notification leg has a transport error and the station hears 310', async () => {
    // Until cleared: a close on a kept-alive connection is sent once more on a new one, which must close too.
    w.actors.faults.arm({ kind: 'close', actor: 'virtual-emp', operation: 'ChargingNotification', times: 0 });
    const start = await emp().remoteStart({ evseId: 'DE*VCP*E0001*1' });
    const sid = start.ok ? start.body.SessionID! : '';
    const leg = await eventually(
      () =>
        w.recorder
          .all()
          .find((x) => x.operation === 'ChargingNotification' && x.direction === 'hub→partner' && x.sessionId === sid),
      3000,
      'leg',
    );
    expect(leg.transportError).toBeDefined();
    const toHub = await eventually(
      () =>
        w.recorder
          .all()
          .find(
            (x) =>
              x.operation === 'ChargingNotification' &&
              x.direction === 'partner→hub' &&
              x.sessionId === sid &&
              x.response,
          ),
      3000,
      'answer',
    );
    expect(toHub.statusCode).toBe('310');
    w.actors.faults.clear();
    await emp().remoteStop({ sessionId: sid });
    await freeEvse('DE*VCP*E0001*1');
  });

  it('malformed JSON: the hub cannot read the CPO answer and tells the EMP 310', async () => {
    w.actors.faults.arm({ kind: 'malformedJson', operation: 'AuthorizeRemoteStart' });
    const r = await emp().remoteStart({ evseId: 'DE*VCP*E0001*1' });
    expect(r.ok && r.body.StatusCode.Code).toBe('310');
    const leg = w.recorder
      .all()
      .filter((x) => x.operation === 'AuthorizeRemoteStart' && x.direction === 'hub→partner')
      .at(-1)!;
    expect(leg.response?.status).toBe(200);
    expect(typeof leg.response?.body).toBe('string');
  });

  it('duplicateCdr: the CDR goes to the hub twice and the second is refused (one CDR per SessionID)', async () => {
    w.actors.faults.arm({ kind: 'duplicateCdr', evseId: 'DE*VCP*E0001*1' });
    const start = await emp().remoteStart({ evseId: 'DE*VCP*E0001*1' });
    const sid = start.ok ? start.body.SessionID! : '';
    await eventually(() => evse('DE*VCP*E0001*1').session?.phase === 'charging', 3000, 'charging');
    await emp().remoteStop({ sessionId: sid });
    const sent = await eventually(
      () => {
        const c = w.recorder
          .all()
          .filter((x) => x.operation === 'ChargeDetailRecord' && x.direction === 'partner→hub' && x.sessionId === sid);
        return c.length === 2 ? c : undefined;
      },
      3000,
      'two CDRs',
    );
    expect(sent.map((x) => x.statusCode)).toEqual(['000', '400']);
    await freeEvse('DE*VCP*E0001*1');
  });

  it('noCdr: the session ends with an End notification and no CDR', async () => {
    w.actors.faults.arm({ kind: 'noCdr', evseId: 'DE*VCP*E0001*1' });
    const start = await emp().remoteStart({ evseId: 'DE*VCP*E0001*1' });
    const sid = start.ok ? start.body.SessionID! : '';
    await eventually(() => evse('DE*VCP*E0001*1').session?.phase === 'charging', 3000, 'charging');
    await emp().remoteStop({ sessionId: sid });
    await eventually(
      () =>
        emp()
          .receivedNotifications(sid)
          .some((n) => n.notification.Type === 'End'),
      3000,
      'End',
    );
    await freeEvse('DE*VCP*E0001*1');
    await new Promise((r) => setTimeout(r, 100)); // ten times the scaled CDR delay
    expect(w.recorder.all().filter((x) => x.operation === 'ChargeDetailRecord' && x.sessionId === sid)).toEqual([]);
    expect(station().activity.list({ kind: 'fault' }).at(-1)?.detail).toContain(sid);
  });

  it('unknownSessionNotification: the hub answers 400 for a SessionID it never issued', async () => {
    w.actors.faults.arm({ kind: 'unknownSessionNotification', evseId: 'DE*VCP*E0001*1' });
    const n = w.recorder.all().length;
    const start = await emp().remoteStart({ evseId: 'DE*VCP*E0001*1' });
    const sid = start.ok ? start.body.SessionID! : '';
    const bad = await eventually(
      () =>
        since(n).find(
          (x) =>
            x.operation === 'ChargingNotification' &&
            x.direction === 'partner→hub' &&
            x.response &&
            x.sessionId !== sid,
        ),
      3000,
      'notification',
    );
    expect(bad.statusCode).toBe('400');
    expect((bad.request.body as { Type: string }).Type).toBe('Start');
    await emp().remoteStop({ sessionId: sid });
    await freeEvse('DE*VCP*E0001*1');
  });

  it('a fault armed for 2 calls plays twice and is then spent; times 0 plays until cleared', async () => {
    const f = w.actors.faults.arm({ kind: 'reject', operation: 'AuthorizeRemoteStart', code: '700', times: 2 });
    for (let i = 0; i < 2; i++) {
      const refused = await emp().remoteStart({ evseId: 'DE*VCP*E0002*1' });
      expect(refused.ok && refused.body.StatusCode.Code).toBe('700');
    }
    expect(w.actors.faults.list().find((x) => x.id === f.id)).toBeUndefined();
    const forever = w.actors.faults.arm({ kind: 'reject', operation: 'AuthorizeRemoteStart', code: '700', times: 0 });
    for (let i = 0; i < 3; i++) {
      const refused = await emp().remoteStart({ evseId: 'DE*VCP*E0002*1' });
      expect(refused.ok && refused.body.StatusCode.Code).toBe('700');
    }
    expect(w.actors.faults.list().find((x) => x.id === forever.id)?.used).toBe(3);
    w.actors.faults.clear(forever.id);
    const ok = await emp().remoteStart({ evseId: 'DE*VCP*E0002*1' });
    expect(ok.ok && ok.body.Result).toBe(true);
    await emp().remoteStop({ sessionId: ok.ok ? ok.body.SessionID! : '' });
    await freeEvse('DE*VCP*E0002*1');
  });
});
