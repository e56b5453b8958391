import { describe, expect, it } from 'vitest';
import { authorizeFollowsHbs } from '../../../src/harness/scenario/ocpp-calls.js';
import {
  STATUS_FOLLOW_MS,
  statusFollowsChargePoint,
  statusSettleMs,
} from '../../../src/harness/scenario/ocpp-rules.js';
import type { Exchange } from '../../../src/shared/exchange.js';
import { authorized, authorizeStart, authorizeStop, notAuthorized, pushEvseStatus } from '../../helpers/messages.js';
import { EVSE_1_1, EVSE_1_2, EVSE_2_1, oicpExchange, PROFILE, T0, Wire } from '../../helpers/ocpp-station.js';

/**
 * CPO-18 and CPO-20 (README "What only charge points can show"): the EVSE status a CSMS pushes against its charge
 * points' StatusNotifications, and its Authorize answers against HBS's. A CSMS from another team may push on a
 * timer, in full loads, or ahead of the notification; each of those is judged on what HBS ended up told.
 */

/** PushEvseStatus reaching HBS at `s`. */
const push = (records: Array<{ EvseID: string; EvseStatus: string }>, s: number, actionType = 'update'): Exchange =>
  oicpExchange('PushEvseStatus', 'partner→hub', pushEvseStatus('DE*ACM', records, actionType), s);
const statusId = (seq: number) => `rule:status-charge-point:${seq}`;

describe('CPO-18 status-follows-charge-point', () => {
  it('passes OutOfService pushed 0.5 s after StatusNotification Unavailable, pointing at the push', () => {
    const w = new Wire();
    const seq = w.status('CP-1', 1, 'Unavailable', 0);
    const x = push([{ EvseID: EVSE_1_1, EvseStatus: 'OutOfService' }], 0.5);
    const [c, ...rest] = statusFollowsChargePoint([x], w.context());
    expect(rest).toEqual([]);
    expect(c).toMatchObject({
      id: statusId(seq),
      outcome: 'passed',
      expected: 'OutOfService',
      actual: 'OutOfService, 0.500 s after the notification',
      exchangeId: x.id,
      side: 'request',
    });
    expect(c!.title).toContain(`${EVSE_1_1}: Unavailable at the charge point (frame #${seq})`);
    expect(c!.title).toContain('within 30 s');
  });

  it('passes the status inside a fullLoad of many EVSE records', () => {
    const w = new Wire();
    const seq = w.status('CP-1', 2, 'Faulted', 0);
    const records = Array.from({ length: 60 }, (_, i) => ({
      EvseID: `DE*ACM*E1${String(i).padStart(3, '0')}*1`,
      EvseStatus: 'Available',
    }));
    records.splice(37, 0, { EvseID: EVSE_1_2, EvseStatus: 'OutOfService' });
    const x = push(records, 12, 'fullLoad');
    expect(statusFollowsChargePoint([x], w.context())).toMatchObject([
      { id: statusId(seq), outcome: 'passed', exchangeId: x.id },
    ]);
  });

  it('passes a status the CSMS had already pushed before the notification (Occupied at StartTransaction)', () => {
    const w = new Wire();
    w.start('CP-2', { connectorId: 1, idTag: 'AA', meterStart: 0, transactionId: 1 }, 0);
    const occupied = push([{ EvseID: EVSE_2_1, EvseStatus: 'Occupied' }], 0.3);
    const seq = w.status('CP-2', 1, 'Charging', 1);
    const [c] = statusFollowsChargePoint([occupied], w.context());
    expect(c).toMatchObject({ id: statusId(seq), outcome: 'passed', actual: 'Occupied already pushed before' });
  });

  it('fails when no push follows, and when another status is pushed, naming it', () => {
    const w = new Wire();
    const seq = w.status('CP-1', 1, 'Unavailable', 0);
    expect(statusFollowsChargePoint([], w.context())).toMatchObject([
      { id: statusId(seq), outcome: 'failed', expected: 'OutOfService', actual: 'no PushEvseStatus for it' },
    ]);
    // Pushes for other EVSEs are not this one's.
    const elsewhere = push([{ EvseID: EVSE_2_1, EvseStatus: 'OutOfService' }], 1);
    expect(statusFollowsChargePoint([elsewhere], w.context())[0]!.outcome).toBe('failed');

    const wrong = push([{ EvseID: EVSE_1_1, EvseStatus: 'Available' }], 2);
    const [c] = statusFollowsChargePoint([wrong], w.context());
    expect(c).toMatchObject({
      outcome: 'failed',
      expected: 'OutOfService',
      actual: 'Available, 2.000 s after the notification',
      exchangeId: wrong.id,
    });
  });

  it('fails when a contradicting push follows one that matched: HBS holds the later one', () => {
    const w = new Wire();
    const before = push([{ EvseID: EVSE_2_1, EvseStatus: 'Occupied' }], 0);
    const seq = w.status('CP-2', 1, 'Charging', 1);
    const after = push([{ EvseID: EVSE_2_1, EvseStatus: 'Available' }], 1.5);
    expect(statusFollowsChargePoint([before, after], w.context())).toMatchObject([
      {
        id: statusId(seq),
        outcome: 'failed',
        actual: 'Available, 0.500 s after the notification',
        exchangeId: after.id,
      },
    ]);
  });

  it("takes the profile's statusPushWithinMs as the time the CSMS has (OICP sets none; 30 s is the default)", () => {
    const w = new Wire();
    w.status('CP-1', 1, 'Unavailable', 0);
    const at45 = push([{ EvseID: EVSE_1_1, EvseStatus: 'OutOfService' }], 45);
    expect(statusFollowsChargePoint([at45], w.context())[0]!.outcome).toBe('failed');
    const [c] = statusFollowsChargePoint([at45], w.context({ profile: { ...PROFILE, statusPushWithinMs: 60_000 } }));
    expect(c).toMatchObject({ outcome: 'passed', actual: 'OutOfService, 45.000 s after the notification' });
    expect(c!.title).toContain("within 60 s (the profile's ocpp.statusPushWithinMs)");
    expect(statusFollowsChargePoint([at45], w.context())[0]!.title).toContain("within 30 s (this tool's default");
  });

  it('says a right push that came too late is late', () => {
    const w = new Wire();
    w.status('CP-1', 1, 'Unavailable', 0);
    const [c] = statusFollowsChargePoint([push([{ EvseID: EVSE_1_1, EvseStatus: 'OutOfService' }], 40)], w.context());
    expect(c).toMatchObject({ outcome: 'failed', actual: 'OutOfService only 40.000 s after the notification (late)' });
  });

  it('fails a push that comes after the 30 s (scaled: after the real limit)', () => {
    const w = new Wire();
    w.status('CP-1', 1, 'Unavailable', 0);
    const late = push([{ EvseID: EVSE_1_1, EvseStatus: 'OutOfService' }], 31);
    expect(statusFollowsChargePoint([late], w.context())[0]!.outcome).toBe('failed');
    // At time scale 0.1 the limit is 3 s real, and the title says both.
    const scaled = push([{ EvseID: EVSE_1_1, EvseStatus: 'OutOfService' }], 3.5);
    const [c] = statusFollowsChargePoint([scaled], w.context({ scale: 0.1 }));
    expect(c!.outcome).toBe('failed');
    expect(c!.title).toContain('3 s (30 s protocol time at --time-scale 0.1)');
  });

  it('judges only the notification that settles: one replaced at its connector within the delay is not judged', () => {
    const w = new Wire();
    w.status('CP-1', 1, 'Unavailable', 0);
    const seq = w.status('CP-1', 1, 'Available', 5);
    const x = push([{ EvseID: EVSE_1_1, EvseStatus: 'Available' }], 6);
    expect(statusFollowsChargePoint([x], w.context())).toMatchObject([{ id: statusId(seq), outcome: 'passed' }]);

    // Replaced after the delay: both are judged, and the first one was never pushed.
    const slow = new Wire();
    const first = slow.status('CP-1', 1, 'Unavailable', 0);
    const second = slow.status('CP-1', 1, 'Available', 40);
    const y = push([{ EvseID: EVSE_1_1, EvseStatus: 'Available' }], 41);
    expect(statusFollowsChargePoint([y], slow.context()).map((c) => [c.id, c.outcome])).toEqual([
      [statusId(first), 'failed'],
      [statusId(second), 'passed'],
    ]);
  });

  it('does not judge Preparing, Finishing or Reserved, nor a connector the profile does not map', () => {
    const w = new Wire();
    w.status('CP-1', 1, 'Preparing', 0);
    w.status('CP-1', 2, 'Finishing', 40);
    w.status('CP-2', 1, 'Reserved', 80);
    w.status('CP-2', 0, 'Unavailable', 120);
    w.status('CP-9', 1, 'Faulted', 160);
    const [c, ...rest] = statusFollowsChargePoint([], w.context());
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ id: 'rule:status-charge-point', outcome: 'error', actual: 'none in this item' });
    expect(c!.message).toContain('no settled status');
  });

  it('maps Charging and SuspendedEV/EVSE to Occupied, each EVSE judged on its own records', () => {
    const w = new Wire();
    const a = w.status('CP-1', 1, 'SuspendedEV', 0);
    const b = w.status('CP-1', 2, 'SuspendedEVSE', 0.1);
    const c = w.status('CP-2', 1, 'Charging', 0.2);
    const x = push(
      [
        { EvseID: EVSE_1_1, EvseStatus: 'Occupied' },
        { EvseID: EVSE_1_2, EvseStatus: 'Occupied' },
        { EvseID: EVSE_2_1, EvseStatus: 'Available' },
      ],
      1,
    );
    expect(statusFollowsChargePoint([x], w.context()).map((k) => [k.id, k.outcome, k.expected])).toEqual([
      [statusId(a), 'passed', 'Occupied'],
      [statusId(b), 'passed', 'Occupied'],
      [statusId(c), 'failed', 'Occupied'],
    ]);
  });

  it("ignores records of an ActionType delete push, and HBS's own pushes", () => {
    const w = new Wire();
    w.status('CP-1', 1, 'Unavailable', 0);
    const deleted = push([{ EvseID: EVSE_1_1, EvseStatus: 'OutOfService' }], 1, 'delete');
    const fromHub = oicpExchange(
      'PushEvseStatus',
      'hub→partner',
      pushEvseStatus('DE*ACM', [{ EvseID: EVSE_1_1, EvseStatus: 'OutOfService' }]),
      1,
    );
    expect(statusFollowsChargePoint([deleted, fromHub], w.context())).toMatchObject([
      { outcome: 'failed', actual: 'no PushEvseStatus for it' },
    ]);
  });

  it('compares EvseIDs whatever their case', () => {
    const w = new Wire();
    w.status('CP-1', 1, 'Unavailable', 0);
    const x = push([{ EvseID: EVSE_1_1.toLowerCase(), EvseStatus: 'OutOfService' }], 1);
    expect(statusFollowsChargePoint([x], w.context())).toMatchObject([{ outcome: 'passed', exchangeId: x.id }]);
  });

  it('statusSettleMs: real time left until the last settled notification has had its delay', () => {
    const w = new Wire();
    expect(statusSettleMs(w.context(), T0)).toBe(0);
    w.status('CP-1', 1, 'Unavailable', 0);
    expect(statusSettleMs(w.context(), T0 + 10_000)).toBe(STATUS_FOLLOW_MS - 10_000);
    expect(statusSettleMs(w.context({ scale: 0.1 }), T0 + 1000)).toBe(2000);
    expect(statusSettleMs(w.context(), T0 + 45_000)).toBe(0);
    w.status('CP-2', 1, 'Available', 20);
    expect(statusSettleMs(w.context(), T0 + 30_000)).toBe(20_000);
    // Not judged (Preparing): nothing to wait for.
    const p = new Wire();
    p.status('CP-1', 1, 'Preparing', 0);
    expect(statusSettleMs(p.context(), T0)).toBe(0);
  });
});

// ── CPO-20: Authorize at the charge point against HBS ────────────────────────────────────────────────────────────

/** The CSMS's AuthorizeStart for `uid` reaching HBS at `s`, answered `answer`. */
const askStart = (uid: string, s: number, answer: unknown = authorized('DE-EMA')): Exchange =>
  oicpExchange('AuthorizeStart', 'partner→hub', authorizeStart('DE*ACM', uid, EVSE_1_1), s, { answer });
const authId = (seq: number) => `rule:authorize-hbs:${seq}`;

describe('CPO-20 authorize-follows-hbs', () => {
  it("counts HBS's answer recorded a millisecond after the charge point's (truncated) receipt time: one moment", () => {
    const w = new Wire();
    const seq = w.authorize('CP-1', 'A1B2C3D4', 0, 'Accepted', 1);
    // HBS's exchange ends at 1.0006 s, the frame reads 1.000 s: whole milliseconds on both sides.
    const asked = oicpExchange('AuthorizeStart', 'partner→hub', authorizeStart('DE*ACM', 'A1B2C3D4'), 0.1, {
      answer: authorized('DE-EMA'),
      durationMs: 900.6,
    });
    expect(authorizeFollowsHbs([asked], w.context())).toMatchObject([{ id: authId(seq), outcome: 'passed' }]);
  });

  it('fails Accepted given before HBS answered, even when HBS later authorizes: the CSMS did not know', () => {
    const w = new Wire();
    const seq = w.authorize('CP-1', 'A1B2C3D4', 0, 'Accepted', 0.5);
    const asked = oicpExchange('AuthorizeStart', 'partner→hub', authorizeStart('DE*ACM', 'A1B2C3D4'), 0.1, {
      answer: authorized('DE-EMA'),
      durationMs: 3000,
    });
    expect(authorizeFollowsHbs([asked], w.context())).toMatchObject([
      {
        id: authId(seq),
        outcome: 'failed',
        actual: 'the CSMS told the charge point Accepted before HBS answered its AuthorizeStart for A1B2C3D4',
      },
    ]);
  });

  it("passes Accepted for the running transaction's own card although HBS refused the AuthorizeStop", () => {
    const w = new Wire();
    const sid = 'b2688855-7f00-0002-6d8e-48d883f6abb6';
    w.authorize('CP-2', 'A1B2C3D4', 0, 'Accepted', 0.5);
    const start = oicpExchange('AuthorizeStart', 'partner→hub', authorizeStart('DE*ACM', 'A1B2C3D4'), 0.1, {
      answer: authorized('DE-EMA', sid),
    });
    w.start('CP-2', { connectorId: 1, idTag: 'A1B2C3D4', meterStart: 0, transactionId: 5 }, 1);
    w.authorize('CP-2', 'A1B2C3D4', 600, 'Accepted', 601);
    const stop = oicpExchange('AuthorizeStop', 'partner→hub', authorizeStop('DE*ACM', sid, 'A1B2C3D4'), 600.1, {
      answer: notAuthorized('310'),
    });
    const checks = authorizeFollowsHbs([start, stop], w.context());
    expect(checks.map((c) => c.outcome)).toEqual(['passed', 'passed']);
    expect(checks[1]!.actual).toContain("own transaction's or remote start's tag (HBS answered NotAuthorized)");
  });

  it('passes Accepted after HBS authorized the card, pointing at the AuthorizeStart', () => {
    const w = new Wire();
    const seq = w.authorize('CP-1', 'A1B2C3D4', 0, 'Accepted', 1);
    const asked = askStart('A1B2C3D4', 0.1);
    const [c] = authorizeFollowsHbs([asked], w.context());
    expect(c).toMatchObject({
      id: authId(seq),
      outcome: 'passed',
      expected: 'HBS Authorized',
      actual: 'HBS answered Authorized; the CSMS told the charge point Accepted',
      exchangeId: asked.id,
      side: 'response',
    });
    expect(c!.title).toContain(`card A1B2C3D4 at CP-1 (frames #${seq}, #${seq + 1})`);
  });

  it('passes Invalid after HBS said NotAuthorized, and fails Accepted after it', () => {
    const refused = new Wire();
    refused.authorize('CP-1', 'DEADBEEF', 0, 'Invalid', 1);
    expect(authorizeFollowsHbs([askStart('DEADBEEF', 0.1, notAuthorized())], refused.context())).toMatchObject([
      { outcome: 'passed', expected: 'any' },
    ]);

    const accepted = new Wire();
    accepted.authorize('CP-1', 'DEADBEEF', 0, 'Accepted', 1);
    const asked = askStart('DEADBEEF', 0.1, notAuthorized());
    expect(authorizeFollowsHbs([asked], accepted.context())).toMatchObject([
      {
        outcome: 'failed',
        expected: 'HBS Authorized',
        actual: 'HBS answered NotAuthorized; the CSMS told the charge point Accepted',
        exchangeId: asked.id,
      },
    ]);
  });

  it('fails Accepted without any AuthorizeStart or AuthorizeStop for the card', () => {
    const w = new Wire();
    w.authorize('CP-2', 'CAFE0001', 0, 'Accepted');
    // Asking HBS about another card does not cover this one.
    const [c] = authorizeFollowsHbs([askStart('CAFE0002', 0.1)], w.context());
    expect(c).toMatchObject({ outcome: 'failed' });
    expect(c!.actual).toBe(
      'the CSMS told the charge point Accepted without asking HBS (no AuthorizeStart or AuthorizeStop for CAFE0001)',
    );
    expect(c!.exchangeId).toBeUndefined();
  });

  it("fails Accepted when HBS's verdict only came after the CSMS had answered the charge point", () => {
    const w = new Wire();
    w.authorize('CP-1', 'A1B2C3D4', 0, 'Accepted', 0.5);
    expect(authorizeFollowsHbs([askStart('A1B2C3D4', 2)], w.context())[0]!.outcome).toBe('failed');
  });

  it('passes an AuthorizeStop verdict (the card that ends a charge)', () => {
    const w = new Wire();
    w.authorize('CP-1', 'A1B2C3D4', 100, 'Accepted');
    const stop = oicpExchange(
      'AuthorizeStop',
      'partner→hub',
      authorizeStop('DE*ACM', 'b2688855-7f00-0002-6d8e-48d883f6abb6', 'A1B2C3D4'),
      100.1,
      { answer: authorized('DE-EMA') },
    );
    expect(authorizeFollowsHbs([stop], w.context())).toMatchObject([{ outcome: 'passed', exchangeId: stop.id }]);
  });

  it('passes Accepted for the idTag of its own RemoteStartTransaction (AuthorizeRemoteTxRequests)', () => {
    const w = new Wire();
    w.remoteStart('CP-1', { connectorId: 1, idTag: 'DE-EMA-C12345678-X' }, 0);
    const seq = w.authorize('CP-1', 'DE-EMA-C12345678-X', 0.5, 'Accepted');
    const [c] = authorizeFollowsHbs([], w.context());
    expect(c).toMatchObject({ id: authId(seq), outcome: 'passed' });
    expect(c!.actual).toContain("for its own transaction's or remote start's tag");
    // The same tag at another charge point is not covered by that remote start.
    const other = new Wire();
    other.remoteStart('CP-1', { connectorId: 1, idTag: 'DE-EMA-C12345678-X' }, 0);
    other.authorize('CP-2', 'DE-EMA-C12345678-X', 0.5, 'Accepted');
    expect(authorizeFollowsHbs([], other.context())[0]!.outcome).toBe('failed');
  });

  it("passes Accepted during a transaction for that transaction's own idTag, and not once it stopped", () => {
    const w = new Wire();
    w.start('CP-2', { connectorId: 1, idTag: 'A1B2C3D4', meterStart: 0, transactionId: 5 }, 0);
    const during = w.authorize('CP-2', 'A1B2C3D4', 600, 'Accepted');
    w.stop('CP-2', { transactionId: 5, meterStop: 9000 }, 700);
    const after = w.authorize('CP-2', 'A1B2C3D4', 800, 'Accepted');
    expect(authorizeFollowsHbs([], w.context()).map((c) => [c.id, c.outcome])).toEqual([
      [authId(during), 'passed'],
      [authId(after), 'failed'],
    ]);
  });

  it('compares the card UID whatever its case', () => {
    const w = new Wire();
    w.authorize('CP-1', 'a1b2c3d4', 0, 'Accepted');
    expect(authorizeFollowsHbs([askStart('A1B2C3D4', 0.1)], w.context())).toMatchObject([{ outcome: 'passed' }]);
  });

  it('does not judge an Authorize the CSMS never answered, and is an error when none was answered', () => {
    const w = new Wire();
    w.authorize('CP-1', 'NEVER', 0);
    const [c, ...rest] = authorizeFollowsHbs([], w.context());
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ id: 'rule:authorize-hbs', outcome: 'error', actual: 'none answered in this item' });
    expect(c!.message).toContain('never answered');

    const answered = w.authorize('CP-1', 'A1B2C3D4', 1, 'Accepted');
    expect(authorizeFollowsHbs([askStart('A1B2C3D4', 1.1)], w.context()).map((k) => [k.id, k.outcome])).toEqual([
      [authId(answered), 'passed'],
    ]);
  });
});
