import { describe, expect, it } from 'vitest';
import type { Check } from '../../../src/harness/report/model.js';
import { checkExchange } from '../../../src/harness/scenario/invariants.js';
import {
  authorizeFollowsHbs,
  remoteStartReachesChargePoint,
  remoteStartSettleMs,
} from '../../../src/harness/scenario/ocpp-calls.js';
import {
  cdrMatchesChargePoint,
  type OcppRuleContext,
  statusFollowsChargePoint,
  transactionOfCdr,
} from '../../../src/harness/scenario/ocpp-rules.js';
import type { Exchange } from '../../../src/shared/exchange.js';
import { ack, cdr, remoteStart } from '../../helpers/messages.js';
import { EVSE_1_1, EVSE_1_2, EVSE_2_1, iso, oicpExchange, T0, Wire } from '../../helpers/ocpp-station.js';

/**
 * CPO-17 and CPO-19 (README "What only charge points can show"): a CSMS written by another team, its CDR and its
 * answers to remote starts held against what its charge points said over OCPP. `failed` only when the backend broke
 * the rule; `error` when there was nothing to compare, saying why.
 */

const SID = 'b2688855-7f00-0002-6d8e-48d883f6abb6';

const byId = (checks: Check[], id: string): Check => {
  const c = checks.find((x) => x.id === id);
  expect(c, `check ${id} in ${JSON.stringify(checks.map((x) => x.id))}`).toBeDefined();
  return c!;
};
const outcomes = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.id, c.outcome]));

describe('without an ocpp: block', () => {
  it('each rule gives one error saying to add the block, and no verdict', () => {
    const ctx: OcppRuleContext = { timeScale: 1, deadline: (ms) => ms };
    const x = oicpExchange('ChargeDetailRecord', 'partner→hub', cdr(SID, EVSE_1_1), 0);
    const results = [
      cdrMatchesChargePoint(x, ctx),
      statusFollowsChargePoint([x], ctx),
      remoteStartReachesChargePoint([x], ctx),
      authorizeFollowsHbs([x], ctx),
    ];
    for (const checks of results) {
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({ outcome: 'error', actual: 'none' });
      expect(checks[0]!.message).toContain('`ocpp:` block');
    }
    expect(results.map((r) => r[0]!.id)).toEqual([
      'rule:cdr-charge-point',
      'rule:status-charge-point',
      'rule:remote-start-charge-point',
      'rule:authorize-hbs',
    ]);
    expect(remoteStartSettleMs([x], ctx, T0)).toBe(0);
  });
});

// ── CPO-17: the CDR against the charge point's transaction ───────────────────────────────────────────────────────

/** Transaction 42 at CP-1 connector 1 (= EVSE_1_1): 1 234 000 Wh → 1 245 500 Wh, from 0 s to 1800 s. */
function charged(): Wire {
  const w = new Wire();
  w.start('CP-1', { connectorId: 1, idTag: 'AA11BB22', meterStart: 1_234_000, transactionId: 42 }, 0);
  w.stop('CP-1', { transactionId: 42, meterStop: 1_245_500 }, 1800);
  return w;
}

/** The CDR transaction 42 deserves, with `over` changed, reaching HBS at `s`. */
function cdrOf(over: Record<string, unknown>, s = 1805): Exchange {
  const body: Record<string, unknown> = {
    ...cdr(SID, EVSE_1_1),
    SessionStart: iso(-20),
    ChargingStart: iso(0),
    ChargingEnd: iso(1800),
    SessionEnd: iso(1801),
    MeterValueStart: 1234,
    MeterValueEnd: 1245.5,
    ConsumedEnergy: 11.5,
    ...over,
  };
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  return oicpExchange('ChargeDetailRecord', 'partner→hub', body, s);
}

const CDR_CHECKS = [
  'rule:cdr-charge-point-energy',
  'rule:cdr-charge-point-MeterValueStart',
  'rule:cdr-charge-point-MeterValueEnd',
  'rule:cdr-charge-point-ChargingStart',
  'rule:cdr-charge-point-ChargingEnd',
];

describe('CPO-17 cdr-matches-charge-point', () => {
  it("passes a CDR that copies the charge point's meter and timestamps, naming the transaction and its frames", () => {
    const w = charged();
    const x = cdrOf({});
    const checks = cdrMatchesChargePoint(x, w.context());
    expect(checks.map((c) => c.id)).toEqual(CDR_CHECKS);
    for (const c of checks) {
      expect(c, c.id).toMatchObject({ outcome: 'passed', exchangeId: x.id, side: 'request' });
      expect(String(c.expected)).toContain('transaction 42 at CP-1 connector 1 (frames #1, #3)');
    }
    expect(byId(checks, 'rule:cdr-charge-point-energy')).toMatchObject({ actual: 11.5 });
    expect(String(byId(checks, 'rule:cdr-charge-point-energy').expected)).toMatch(/^11\.5 kWh/);
    // The exchange-rule table runs the same function.
    expect(checkExchange('cdr-matches-charge-point', x, w.context())).toEqual(checks);
  });

  it('passes a CSMS that stamps ChargingStart/End when the frames reach it, seconds after the charge point', () => {
    const w = charged();
    const checks = cdrMatchesChargePoint(cdrOf({ ChargingStart: iso(1.2), ChargingEnd: iso(1803) }), w.context());
    expect(Object.values(outcomes(checks))).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(byId(checks, 'rule:cdr-charge-point-ChargingEnd').actual).toBe(`${iso(1803)} (3.000 s apart)`);
  });

  it('reads the times as instants, whatever offset the CSMS writes them in', () => {
    const w = charged();
    // 10:00:00Z and 10:30:00Z written in CET.
    const checks = cdrMatchesChargePoint(
      cdrOf({ ChargingStart: '2026-12-02T11:00:00+01:00', ChargingEnd: '2026-12-02T11:30:01.500+01:00' }),
      w.context(),
    );
    expect(outcomes(checks)).toMatchObject({
      'rule:cdr-charge-point-ChargingStart': 'passed',
      'rule:cdr-charge-point-ChargingEnd': 'passed',
    });
  });

  it('fails a ChargingEnd 10 s from StopTransaction.req, saying how far apart', () => {
    const w = charged();
    const x = cdrOf({ ChargingEnd: iso(1810) });
    const c = byId(cdrMatchesChargePoint(x, w.context()), 'rule:cdr-charge-point-ChargingEnd');
    expect(c).toMatchObject({ outcome: 'failed', exchangeId: x.id, actual: `${iso(1810)} (10.000 s apart)` });
    expect(String(c.expected)).toContain(iso(1800));
  });

  it('judges only the energy and the times when the CDR leaves out the optional MeterValueStart/End', () => {
    const w = charged();
    const checks = cdrMatchesChargePoint(cdrOf({ MeterValueStart: undefined, MeterValueEnd: undefined }), w.context());
    expect(outcomes(checks)).toEqual({
      'rule:cdr-charge-point-energy': 'passed',
      'rule:cdr-charge-point-ChargingStart': 'passed',
      'rule:cdr-charge-point-ChargingEnd': 'passed',
    });
  });

  it('passes kWh rounded to three decimals, and fails an energy 10 Wh off', () => {
    const w = new Wire();
    w.start('CP-1', { connectorId: 1, idTag: 'AA', meterStart: 1_234_567, transactionId: 1 }, 0);
    w.stop('CP-1', { transactionId: 1, meterStop: 1_246_068 }, 1800);
    // 11 501 Wh, computed by the CSMS in floating point and rounded: 1246.068 − 1234.567 = 11.500999…
    const rounded = cdrOf({ MeterValueStart: 1234.567, MeterValueEnd: 1246.068, ConsumedEnergy: 11.501 });
    expect(Object.values(outcomes(cdrMatchesChargePoint(rounded, w.context())))).not.toContain('failed');

    const off = cdrOf({ MeterValueStart: 1234.567, MeterValueEnd: 1246.068, ConsumedEnergy: 11.491 });
    const c = byId(cdrMatchesChargePoint(off, w.context()), 'rule:cdr-charge-point-energy');
    expect(c).toMatchObject({ outcome: 'failed', actual: 11.491 });
    expect(String(c.expected)).toMatch(/^11\.501 kWh/);
  });

  it("fails a CDR that bills the previous transaction's meter at the same EVSE, naming the transaction it should bill", () => {
    const w = charged();
    // The second charge at EVSE_1_1: transaction 43, 1 245 500 → 1 252 000 Wh.
    w.start('CP-1', { connectorId: 1, idTag: 'CC33DD44', meterStart: 1_245_500, transactionId: 43 }, 2000);
    w.stop('CP-1', { transactionId: 43, meterStop: 1_252_000 }, 3000);

    // The first CDR came while only transaction 42 had stopped: it is judged on 42 and is right.
    expect(Object.values(outcomes(cdrMatchesChargePoint(cdrOf({}, 1805), w.context())))).not.toContain('failed');

    // The second CDR repeats transaction 42's values.
    const stale = cdrOf({}, 3004);
    const checks = cdrMatchesChargePoint(stale, w.context());
    for (const c of checks)
      expect(String(c.expected), c.id).toContain('transaction 43 at CP-1 connector 1 (frames #5, #7)');
    expect(byId(checks, 'rule:cdr-charge-point-energy')).toMatchObject({
      outcome: 'failed',
      expected: '6.5 kWh (transaction 43 at CP-1 connector 1 (frames #5, #7))',
      actual: 11.5,
      exchangeId: stale.id,
    });
    expect(outcomes(checks)).toMatchObject({
      'rule:cdr-charge-point-MeterValueStart': 'failed',
      'rule:cdr-charge-point-ChargingStart': 'failed',
      'rule:cdr-charge-point-ChargingEnd': 'failed',
    });

    // The right second CDR passes.
    const right = cdrOf(
      {
        ChargingStart: iso(2000),
        ChargingEnd: iso(3000),
        MeterValueStart: 1245.5,
        MeterValueEnd: 1252,
        ConsumedEnergy: 6.5,
      },
      3004,
    );
    expect(Object.values(outcomes(cdrMatchesChargePoint(right, w.context())))).toEqual(Array(5).fill('passed'));
  });

  it('does not use a transaction whose StopTransaction came after the CDR reached HBS', () => {
    const w = charged();
    w.start('CP-1', { connectorId: 1, idTag: 'CC33DD44', meterStart: 1_245_500, transactionId: 43 }, 2000);
    w.stop('CP-1', { transactionId: 43, meterStop: 1_252_000 }, 3000);
    // Transaction 42's CDR, sent late while 43 was running: 43's stop is in the log by the time the rule reads it.
    const late = cdrOf({}, 2500);
    expect(transactionOfCdr(late, w.context().ocpp!)?.transactionId).toBe(42);
    expect(Object.values(outcomes(cdrMatchesChargePoint(late, w.context())))).toEqual(Array(5).fill('passed'));

    // With only a transaction still running when the CDR came, there is nothing to compare.
    const only = new Wire();
    only.start('CP-1', { connectorId: 1, idTag: 'AA', meterStart: 0, transactionId: 1 }, 0);
    only.stop('CP-1', { transactionId: 1, meterStop: 11_500 }, 1800);
    const early = cdrOf({}, 1700);
    expect(transactionOfCdr(early, only.context().ocpp!)).toBeUndefined();
    expect(cdrMatchesChargePoint(early, only.context())).toMatchObject([{ outcome: 'error', exchangeId: early.id }]);
  });

  it('is an error, saying what to check, for an EvseID the profile does not map or with no stopped transaction', () => {
    const w = charged();
    const unmapped = cdrOf({ EvseID: 'DE*ACM*E0099*1' });
    const [c] = cdrMatchesChargePoint(unmapped, w.context());
    expect(c).toMatchObject({
      id: 'rule:cdr-charge-point',
      outcome: 'error',
      actual: 'none in this item',
      exchangeId: unmapped.id,
    });
    expect(c!.message).toContain('DE*ACM*E0099*1');
    expect(c!.message).toContain('ocpp.chargePoints[].connectors');

    // The other connector of the same charge point had no transaction.
    expect(cdrMatchesChargePoint(cdrOf({ EvseID: EVSE_1_2 }), w.context())).toMatchObject([{ outcome: 'error' }]);
    // A transaction before the item began (frames up to #4) is not the item's.
    expect(cdrMatchesChargePoint(cdrOf({}), w.context({ fromSeq: 4 }))).toMatchObject([{ outcome: 'error' }]);
  });

  it('finds the EVSE whatever the case of the EvseID in the CDR', () => {
    const w = charged();
    const checks = cdrMatchesChargePoint(cdrOf({ EvseID: EVSE_1_1.toLowerCase() }), w.context());
    expect(Object.values(outcomes(checks))).toEqual(Array(5).fill('passed'));
  });
});

// ── CPO-19: a remote start reaches the EVSE's charge point ───────────────────────────────────────────────────────

/** HBS forwards AuthorizeRemoteStart for `evseId` to the CPO at `s`; the CPO answers after `durationMs`. */
function remoteLeg(evseId: string, s: number, answer = ack(true, '000', SID), durationMs = 800): Exchange {
  return oicpExchange('AuthorizeRemoteStart', 'hub→partner', remoteStart('DE-EMA', evseId), s, { answer, durationMs });
}
const REFUSED = ack(false, '602');
const rs = (x: Exchange, part = '') => `rule:remote-start-charge-point:${x.id}${part}`;

describe('CPO-19 remote-start-reaches-charge-point', () => {
  it('pairs each remote start with the RemoteStartTransaction for its own EVSE: a start the CPO refused itself takes none of a later one', () => {
    const w = new Wire();
    const refused = remoteLeg(EVSE_1_1, 0, REFUSED);
    const accepted = remoteLeg(EVSE_1_1, 10);
    w.remoteStart('CP-1', { connectorId: 1, idTag: 'B' }, 10.3);
    const checks = remoteStartReachesChargePoint([refused, accepted], w.context());
    expect(checks.filter((c) => c.outcome !== 'passed')).toEqual([]);
    expect(checks.filter((c) => c.exchangeId === accepted.id).map((c) => c.id)).toEqual([
      rs(accepted, ':connector'),
      rs(accepted, ':answer'),
    ]);
    expect(checks.find((c) => c.exchangeId === refused.id)?.actual).toContain('sent its charge points no');
  });

  it('two concurrent remote starts whose RemoteStartTransactions go out in the other order both pass', () => {
    const w = new Wire();
    const a = remoteLeg(EVSE_1_1, 0);
    const b = remoteLeg(EVSE_2_1, 0.1);
    w.remoteStart('CP-2', { connectorId: 1, idTag: 'B' }, 0.3);
    w.remoteStart('CP-1', { connectorId: 1, idTag: 'A' }, 0.4);
    expect(remoteStartReachesChargePoint([a, b], w.context()).map((c) => c.outcome)).toEqual(Array(4).fill('passed'));
  });

  it('passes a RemoteStartTransaction to the right charge point and connector, Accepted, with 000 to HBS', () => {
    const w = new Wire();
    const leg = remoteLeg(EVSE_1_2, 0);
    const seq = w.remoteStart('CP-1', { connectorId: 2, idTag: 'DE-EMA-C12345678-X' }, 0.2);
    const checks = remoteStartReachesChargePoint([leg], w.context());
    expect(checks.map((c) => [c.id, c.outcome])).toEqual([
      [rs(leg, ':connector'), 'passed'],
      [rs(leg, ':answer'), 'passed'],
    ]);
    expect(byId(checks, rs(leg, ':connector'))).toMatchObject({
      expected: 'CP-1 connector 2',
      actual: `CP-1 connector 2 = ${EVSE_1_2}, idTag DE-EMA-C12345678-X (frame #${seq})`,
      exchangeId: leg.id,
      side: 'response',
    });
    expect(byId(checks, rs(leg, ':answer')).actual).toBe(
      `charge point: Accepted (frames #${seq}, #${seq + 1}); CPO to HBS: Result true (000)`,
    );
  });

  it('passes an asynchronous CSMS that answers HBS 000 first and sends RemoteStartTransaction afterwards', () => {
    const w = new Wire();
    const leg = remoteLeg(EVSE_2_1, 0, ack(true, '000', SID), 30);
    w.remoteStart('CP-2', { connectorId: 1, idTag: 'X' }, 2);
    const checks = remoteStartReachesChargePoint([leg], w.context());
    expect(Object.values(outcomes(checks))).toEqual(['passed', 'passed']);
    expect(String(byId(checks, rs(leg, ':answer')).actual)).toContain('answered before its charge point did');
  });

  it('passes a CPO that refuses HBS (Result false, 602) when its charge point rejected the start', () => {
    const w = new Wire();
    const leg = remoteLeg(EVSE_1_1, 0, REFUSED);
    w.remoteStart('CP-1', { connectorId: 1, idTag: 'X' }, 0.2, { result: { status: 'Rejected' } });
    const c = byId(remoteStartReachesChargePoint([leg], w.context()), rs(leg, ':answer'));
    expect(c).toMatchObject({ outcome: 'passed', expected: 'Result false, not 000' });
    expect(String(c.actual)).toContain('charge point: Rejected');
    expect(String(c.actual)).toContain('CPO to HBS: Result false (602)');
  });

  it('fails a CPO that answers 000 although its charge point rejected the start or answered with a CALLERROR', () => {
    for (const answer of [{ result: { status: 'Rejected' } }, { error: 'InternalError' }] as const) {
      const w = new Wire();
      const leg = remoteLeg(EVSE_1_1, 0);
      w.remoteStart('CP-1', { connectorId: 1, idTag: 'X' }, 0.2, answer);
      const checks = remoteStartReachesChargePoint([leg], w.context());
      expect(byId(checks, rs(leg, ':connector')).outcome).toBe('passed');
      const c = byId(checks, rs(leg, ':answer'));
      expect(c).toMatchObject({ outcome: 'failed', expected: 'Result false, not 000', exchangeId: leg.id });
      expect(String(c.actual)).toContain('CPO to HBS: Result true (000)');
      expect(String(c.actual)).toContain(
        'error' in answer ? 'charge point: CALLERROR InternalError' : 'charge point: Rejected',
      );
    }
  });

  it('fails a RemoteStartTransaction sent to another charge point or another connector', () => {
    const w = new Wire();
    const leg = remoteLeg(EVSE_1_1, 0);
    w.remoteStart('CP-2', { connectorId: 1, idTag: 'X' }, 0.2);
    const c = byId(remoteStartReachesChargePoint([leg], w.context()), rs(leg, ':connector'));
    expect(c).toMatchObject({ outcome: 'failed', expected: 'CP-1 connector 1', exchangeId: leg.id });
    expect(String(c.actual)).toContain(`CP-2 connector 1 = ${EVSE_2_1}`);

    const w2 = new Wire();
    w2.remoteStart('CP-1', { connectorId: 2, idTag: 'X' }, 0.2);
    const c2 = byId(remoteStartReachesChargePoint([leg], w2.context()), rs(leg, ':connector'));
    expect(c2.outcome).toBe('failed');
    expect(String(c2.actual)).toContain(`CP-1 connector 2 = ${EVSE_1_2}`);
  });

  it('takes no connectorId as connector 1 on a one-connector charge point, and fails it where it cannot tell', () => {
    const single = new Wire();
    const leg2 = remoteLeg(EVSE_2_1, 0);
    single.remoteStart('CP-2', { idTag: 'X' }, 0.2);
    const ok = byId(remoteStartReachesChargePoint([leg2], single.context()), rs(leg2, ':connector'));
    expect(ok).toMatchObject({ outcome: 'passed' });
    expect(String(ok.actual)).toContain(`CP-2 (no connectorId) = ${EVSE_2_1}`);

    const two = new Wire();
    const leg1 = remoteLeg(EVSE_1_1, 0);
    two.remoteStart('CP-1', { idTag: 'X' }, 0.2);
    const bad = byId(remoteStartReachesChargePoint([leg1], two.context()), rs(leg1, ':connector'));
    expect(bad).toMatchObject({ outcome: 'failed', expected: 'CP-1 connector 1' });
    expect(String(bad.actual)).toContain('CP-1 (no connectorId), idTag X');
  });

  it('without any RemoteStartTransaction, passes a CPO that refused HBS and fails one that said 000', () => {
    const refused = remoteLeg(EVSE_1_1, 0, REFUSED);
    const [ok] = remoteStartReachesChargePoint([refused], new Wire().context());
    expect(ok).toMatchObject({ id: rs(refused), outcome: 'passed', exchangeId: refused.id });

    const yes = remoteLeg(EVSE_1_1, 0);
    const [bad] = remoteStartReachesChargePoint([yes], new Wire().context());
    expect(bad).toMatchObject({ id: rs(yes), outcome: 'failed', exchangeId: yes.id });
    expect(String(bad!.actual)).toBe(
      'the CPO answered Result true (000) and sent its charge points no RemoteStartTransaction',
    );
  });

  it('pairs two remote starts of an item each with its own RemoteStartTransaction, not one sent before it', () => {
    const w = new Wire();
    // A RemoteStartTransaction from before either remote start (another test tool, an operator) is not theirs.
    w.remoteStart('CP-2', { connectorId: 1, idTag: 'OPERATOR' }, -50);
    const a = remoteLeg(EVSE_1_1, 0);
    const sa = w.remoteStart('CP-1', { connectorId: 1, idTag: 'A' }, 0.3);
    const b = remoteLeg(EVSE_2_1, 100);
    const sb = w.remoteStart('CP-2', { connectorId: 1, idTag: 'B' }, 100.3);
    const checks = remoteStartReachesChargePoint([a, b], w.context());
    expect(outcomes(checks)).toEqual({
      [rs(a, ':connector')]: 'passed',
      [rs(a, ':answer')]: 'passed',
      [rs(b, ':connector')]: 'passed',
      [rs(b, ':answer')]: 'passed',
    });
    expect(String(byId(checks, rs(a, ':connector')).actual)).toContain(`frame #${sa}`);
    expect(String(byId(checks, rs(b, ':connector')).actual)).toContain(`frame #${sb}`);
    expect(byId(checks, rs(b, ':answer')).exchangeId).toBe(b.id);
  });

  it('reads the EvseID of the remote start whatever its case', () => {
    const w = new Wire();
    const leg = remoteLeg(EVSE_1_1.toLowerCase(), 0);
    w.remoteStart('CP-1', { connectorId: 1, idTag: 'X' }, 0.2);
    expect(Object.values(outcomes(remoteStartReachesChargePoint([leg], w.context())))).toEqual(['passed', 'passed']);
  });

  it('is an error when the item has no AuthorizeRemoteStart the partner received', () => {
    const w = new Wire();
    w.remoteStart('CP-1', { connectorId: 1, idTag: 'X' }, 0.2);
    // The EMP's own call to HBS is not the leg HBS forwarded to the CPO.
    const empSide = oicpExchange('AuthorizeRemoteStart', 'partner→hub', remoteStart('DE-EMA', EVSE_1_1), 0);
    const [c, ...rest] = remoteStartReachesChargePoint([empSide], w.context());
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ id: 'rule:remote-start-charge-point', outcome: 'error', actual: 'none in this item' });
    expect(c!.message).toContain('no remote start');
  });

  it('remoteStartSettleMs: the real time left until each remote start has had its 60 s (scaled) to reach a charge point', () => {
    const leg = remoteLeg(EVSE_1_1, 0);
    const w = new Wire();
    expect(remoteStartSettleMs([leg], w.context(), T0 + 10_000)).toBe(50_000);
    expect(remoteStartSettleMs([leg], w.context({ scale: 0.05 }), T0 + 1000)).toBe(2000);
    expect(remoteStartSettleMs([leg], w.context(), T0 + 70_000)).toBe(0);
    // Sent but not answered yet: still waiting for the charge point's answer.
    w.remoteStart('CP-1', { connectorId: 1, idTag: 'X' }, 1, 'none');
    expect(remoteStartSettleMs([leg], w.context(), T0 + 10_000)).toBe(50_000);
    // Answered: nothing to wait for.
    const answered = new Wire();
    answered.remoteStart('CP-1', { connectorId: 1, idTag: 'X' }, 2);
    expect(remoteStartSettleMs([leg], answered.context(), T0 + 10_000)).toBe(0);
    // A start the CPO refused without asking a charge point has nothing to wait for either.
    expect(remoteStartSettleMs([remoteLeg(EVSE_1_1, 0, ack(false, '602'))], new Wire().context(), T0)).toBe(0);
    expect(remoteStartSettleMs([], w.context(), T0)).toBe(0);
  });
});
