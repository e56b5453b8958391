import { describe, expect, it } from 'vitest';
import { judgeItemRules } from '../../../src/harness/scenario/check-step.js';
import { checkItem, hasNewEvent, settleItem } from '../../../src/harness/scenario/invariants.js';
import type { Exchange } from '../../../src/shared/exchange.js';
import { ack, pushEvseStatus, remoteStart } from '../../helpers/messages.js';
import { EVSE_1_1, EVSE_2_1, oicpExchange, T0, Wire } from '../../helpers/ocpp-station.js';

/**
 * The OCPP rules are per-event: a scenario checks after each station action, and each check step judges the events
 * the earlier ones did not (a StatusNotification, a remote start), or says it had nothing new to judge — never a
 * silent pass on what it did not see. A check step first waits for such an event, then for the time the partner has
 * to react.
 */

const STATUS = 'status-follows-charge-point';
const REMOTE = 'remote-start-reaches-charge-point';
const AUTHORIZE = 'authorize-follows-hbs';

const push = (evseId: string, status: string, s: number): Exchange =>
  oicpExchange('PushEvseStatus', 'partner→hub', pushEvseStatus('DE*ACM', [{ EvseID: evseId, EvseStatus: status }]), s);
const leg = (evseId: string, s: number): Exchange =>
  oicpExchange('AuthorizeRemoteStart', 'hub→partner', remoteStart('DE-EMA', evseId), s, { answer: ack(true, '000') });

describe('checkItem with the judged set of an item', () => {
  it('gives each check step only the events since the previous one, then "nothing new" as an error', () => {
    const w = new Wire();
    const judged = new Set<string>();
    const first = w.status('CP-1', 1, 'Unavailable', 0);
    const xs = [push(EVSE_1_1, 'OutOfService', 1)];
    expect(checkItem(STATUS, xs, w.context(), judged)).toMatchObject([
      { id: `rule:status-charge-point:${first}`, outcome: 'passed' },
    ]);

    const second = w.status('CP-1', 1, 'Available', 60);
    xs.push(push(EVSE_1_1, 'Available', 61));
    expect(checkItem(STATUS, xs, w.context(), judged)).toMatchObject([
      { id: `rule:status-charge-point:${second}`, outcome: 'passed' },
    ]);

    const [none, ...rest] = checkItem(STATUS, xs, w.context(), judged);
    expect(rest).toEqual([]);
    expect(none).toMatchObject({ id: `rule:${STATUS}:nothing-new`, outcome: 'error', actual: 'none' });
    expect(none!.message).toContain(`nothing for ${STATUS} to judge since the item's previous check step`);

    // Without an item's set (one check step) every event is judged.
    expect(checkItem(STATUS, xs, w.context()).map((c) => c.outcome)).toEqual(['passed', 'passed']);
  });

  it("judges a second remote start on its own, leaving the first one's verdict to the step that gave it", () => {
    const w = new Wire();
    const judged = new Set<string>();
    const a = leg(EVSE_1_1, 0);
    w.remoteStart('CP-1', { connectorId: 1, idTag: 'A' }, 0.3, { result: { status: 'Rejected' } });
    // The first one fails (000 although Rejected); a later check step does not repeat it.
    expect(checkItem(REMOTE, [a], w.context(), judged).map((c) => [c.exchangeId, c.outcome])).toEqual([
      [a.id, 'passed'],
      [a.id, 'failed'],
    ]);
    const b = leg(EVSE_2_1, 120);
    w.remoteStart('CP-2', { connectorId: 1, idTag: 'B' }, 120.3);
    const second = checkItem(REMOTE, [a, b], w.context(), judged);
    expect(second.map((c) => [c.exchangeId, c.outcome])).toEqual([
      [b.id, 'passed'],
      [b.id, 'passed'],
    ]);
  });

  it('keeps an error the rule gave (nothing to judge yet) as it is, each time: an error is no judged event', () => {
    const w = new Wire();
    const judged = new Set<string>();
    for (let i = 0; i < 2; i++) {
      expect(checkItem(AUTHORIZE, [], w.context(), judged)).toMatchObject([
        { id: 'rule:authorize-hbs', outcome: 'error', actual: 'none answered in this item' },
      ]);
    }
    expect(judged.size).toBe(0);
  });
});

describe('hasNewEvent and settleItem', () => {
  it('counts only verdicts not judged yet; an error (no ocpp block, nothing happened) is no event', () => {
    const w = new Wire();
    const judged = new Set<string>();
    const noOcpp = { timeScale: 1, deadline: (ms: number) => ms };
    for (const rule of [STATUS, REMOTE, AUTHORIZE]) {
      expect(hasNewEvent(rule, [leg(EVSE_1_1, 0)], noOcpp, judged), rule).toBe(false);
      expect(hasNewEvent(rule, [], w.context(), judged), rule).toBe(false);
    }
    w.status('CP-2', 1, 'Faulted', 0);
    // A notification with no push yet is an event to judge (it will fail if nothing comes).
    expect(hasNewEvent(STATUS, [], w.context(), judged)).toBe(true);
    checkItem(STATUS, [], w.context(), judged);
    expect(hasNewEvent(STATUS, [], w.context(), judged)).toBe(false);
    // Rules judged as a whole, and exchange rules, always have something to judge.
    expect(hasNewEvent('pushes-sequential', [], w.context(), judged)).toBe(true);
    expect(hasNewEvent('cdr-matches-charge-point', [], w.context(), judged)).toBe(true);
  });

  it('waits as long as the slowest OCPP rule needs', () => {
    const w = new Wire();
    w.status('CP-1', 1, 'Unavailable', 0);
    const xs = [leg(EVSE_1_1, 5)];
    const ctx = w.context();
    expect(settleItem([STATUS], xs, ctx, T0 + 10_000)).toBe(20_000);
    expect(settleItem([STATUS, REMOTE, AUTHORIZE], xs, ctx, T0 + 10_000)).toBe(55_000);
    expect(settleItem([AUTHORIZE, 'cdr-matches-charge-point'], xs, ctx, T0)).toBe(0);
  });
});

describe('judgeItemRules (a check step)', () => {
  /** Seconds after T0 now: frames and exchanges at the real time, for the waits that read the clock. */
  const now = (): number => (Date.now() - T0) / 1000;

  it('waits for an event the step has not judged, then for the time to react, and judges what arrived meanwhile', async () => {
    const w = new Wire();
    const xs: Exchange[] = [];
    let idles = 0;
    // 30 s protocol time is 300 ms here.
    const ctx = w.context({ scale: 0.01 });
    const notified = setTimeout(() => w.status('CP-1', 1, 'Unavailable', now()), 100);
    const pushed = setTimeout(() => xs.push(push(EVSE_1_1, 'OutOfService', now())), 250);
    const started = Date.now();
    try {
      const checks = await judgeItemRules([STATUS], () => xs, ctx, new Set(), {
        eventWithinMs: 5000,
        idle: async () => {
          idles += 1;
        },
      });
      expect(checks).toMatchObject([{ outcome: 'passed', exchangeId: xs[0]!.id }]);
      // Not before the notification had its 300 ms.
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
      expect(idles).toBe(2);
    } finally {
      clearTimeout(notified);
      clearTimeout(pushed);
    }
  });

  it('says "nothing new" after waiting when the item made no new event', async () => {
    const w = new Wire();
    w.status('CP-1', 1, 'Unavailable', 0);
    const xs = [push(EVSE_1_1, 'OutOfService', 1)];
    const judged = new Set<string>();
    checkItem(STATUS, xs, w.context(), judged);
    const started = Date.now();
    const checks = await judgeItemRules([STATUS], () => xs, w.context(), judged, {
      eventWithinMs: 150,
      idle: async () => {},
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(checks).toMatchObject([{ id: `rule:${STATUS}:nothing-new`, outcome: 'error' }]);
  });

  it('stops waiting when the run is interrupted', async () => {
    const w = new Wire();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      judgeItemRules([REMOTE], () => [], w.context(), new Set(), {
        eventWithinMs: 10_000,
        idle: async () => {},
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
