import type { AnsweredCall, ChargePointTransaction } from '../../ocpp/conversation.js';
import { callsOf, payloadField, transactionsOf } from '../../ocpp/conversation.js';
import type { OcppFrame } from '../../ocpp/frames.js';
import type { Exchange } from '../../shared/exchange.js';
import { valueAt as at } from '../../shared/json-pointer.js';
import type { Check } from '../report/model.js';
import { limitText, type TimeScale } from './limits.js';

/**
 * Rules that hold a CPO's OICP side against what its own charge points did over OCPP 1.6-J (profile `ocpp:`): the
 * CDR against the transaction's meter and times, the EVSE status it pushes against the StatusNotifications, a remote
 * start against the RemoteStartTransaction it became, the charge point's Authorize answer against HBS's. Each
 * verdict names the frames it rests on (their sequence numbers, as the report lists them).
 */

/** The charge points' side of an item, as the rules read it. */
export interface OcppView {
  /** The frames of the item, oldest first. */
  frames: readonly OcppFrame[];
  /** The charge point and connector that is this EVSE, per the profile's `ocpp.chargePoints`. */
  connectorOf(evseId: string): { chargePointId: string; connectorId: number } | undefined;
  /** The EvseID of a charge point's connector, per the profile. */
  evseAt(chargePointId: string, connectorId: number): string | undefined;
  /** How many connectors the profile gives a charge point. */
  connectorsAt(chargePointId: string): number;
}

export interface OcppRuleContext extends TimeScale {
  ocpp?: OcppView;
}

/**
 * Protocol time a CPO has to push the EVSE status its charge point reported. OICP 2.3 asks for status changes to be
 * pushed as they happen (CPO, 02 Services and Operations, eRoamingPushEvseStatus) without a number; 30 s is this
 * tool's reading of "as they happen" for a backend that queues its pushes, and a notification that another one
 * replaces within that time is not judged on its own.
 */
export const STATUS_FOLLOW_MS = 30_000;
/**
 * Protocol time a CSMS has, after HBS's AuthorizeRemoteStart reached it, to send its charge point the
 * RemoteStartTransaction (and get the answer) before the rule judges: HBS's own remote-start timeout is 60 s.
 */
export const REMOTE_START_REACH_MS = 60_000;
/** Meter values are kWh with three decimals (OICP 2.3 CPO, 03 Data Types, Decimal(,3)); OCPP registers whole Wh. */
const KWH_TOLERANCE = 0.0015;
/**
 * A CSMS may stamp ChargingStart/End when the frame arrives rather than copy the charge point's timestamp: seconds
 * apart is that; more is another transaction's time.
 */
export const CHARGE_POINT_TIME_TOLERANCE_MS = 5000;

/** OCPP ChargePointStatus → the OICP EvseStatus a CPO pushes for it; transitional states are not judged. */
const OICP_STATUS: Readonly<Record<string, string>> = {
  Available: 'Available',
  Charging: 'Occupied',
  SuspendedEV: 'Occupied',
  SuspendedEVSE: 'Occupied',
  Unavailable: 'OutOfService',
  Faulted: 'OutOfService',
};

const ms = (iso: unknown): number | undefined =>
  typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? Date.parse(iso) : undefined;
const endOf = (x: Exchange): number => Date.parse(x.startedAt) + x.durationMs;
const seqs = (...frames: Array<OcppFrame | undefined>): string =>
  `frame${frames.filter(Boolean).length === 1 ? '' : 's'} ${frames
    .filter((f): f is OcppFrame => f !== undefined)
    .map((f) => `#${f.seq}`)
    .join(', ')}`;
const kWh = (wh: number): number => Number((wh / 1000).toFixed(3));

function noChargePoints(id: string, title: string): Check[] {
  return [
    {
      id,
      title,
      outcome: 'error',
      expected: 'charge points over OCPP',
      actual: 'none',
      message: 'this rule compares the CSMS with its charge points: give the partner profile an `ocpp:` block',
    },
  ];
}

function check(id: string, title: string, ok: boolean, expected: unknown, actual: unknown, extra: Partial<Check> = {}) {
  return { id, title, outcome: ok ? 'passed' : 'failed', expected, actual, ...extra } as Check;
}

// ── The CDR against the charge point's transaction ─────────────────────────────────────────────────────────────

/**
 * The transaction a CDR describes: the last one at the CDR's EVSE that the charge point had stopped when the CDR
 * reached HBS (a CSMS knows meterStop only from StopTransaction.req). Chosen by place and time, never by the CDR's
 * values, so a CDR that took another transaction's meter cannot pick that transaction to agree with.
 */
export function transactionOfCdr(cdr: Exchange, view: OcppView): ChargePointTransaction | undefined {
  const where = view.connectorOf(String(at(cdr.request.body, '/EvseID') ?? ''));
  if (!where) return undefined;
  const arrived = Date.parse(cdr.startedAt);
  return transactionsOf(view.frames)
    .filter((t) => t.chargePointId === where.chargePointId && t.connectorId === where.connectorId)
    .filter((t) => t.stop !== undefined && Date.parse(t.stop.at) <= arrived)
    .at(-1);
}

export function cdrMatchesChargePoint(x: Exchange, ctx: OcppRuleContext): Check[] {
  const title = "CDR meter and charging times = the charge point's transaction";
  if (!ctx.ocpp) return noChargePoints('rule:cdr-charge-point', title);
  const cdr = x.request.body;
  const evseId = String(at(cdr, '/EvseID') ?? '');
  const t = transactionOfCdr(x, ctx.ocpp);
  const base = { exchangeId: x.id, side: 'request' as const };
  if (!t || t.meterStopWh === undefined) {
    return [
      {
        id: 'rule:cdr-charge-point',
        title,
        outcome: 'error',
        expected: `a transaction at the charge point of ${evseId}, stopped before the CDR`,
        actual: 'none in this item',
        message: `no StartTransaction/StopTransaction at ${evseId}'s connector came before this CDR, so there is nothing to compare it with; check that ${evseId} is listed under ocpp.chargePoints[].connectors`,
        ...base,
      },
    ];
  }
  const where = `transaction ${t.transactionId ?? '?'} at ${t.chargePointId} connector ${t.connectorId} (${seqs(t.start.call, t.stop)})`;
  const spec = 'OICP 2.3 CPO, 03 Data Types, ChargeDetailRecord';
  const checks: Check[] = [];
  const energy = (t.meterStopWh - t.meterStartWh) / 1000;
  const consumed = at(cdr, '/ConsumedEnergy');
  checks.push(
    check(
      'rule:cdr-charge-point-energy',
      `ConsumedEnergy = the charge point's meterStop − meterStart (${spec}: the energy of the charge)`,
      typeof consumed === 'number' && Math.abs(consumed - energy) <= KWH_TOLERANCE,
      `${Number(energy.toFixed(3))} kWh (${where})`,
      consumed ?? null,
      base,
    ),
  );
  for (const [key, wh, said] of [
    ['MeterValueStart', t.meterStartWh, 'StartTransaction.req meterStart'],
    ['MeterValueEnd', t.meterStopWh, 'StopTransaction.req meterStop'],
  ] as const) {
    const v = at(cdr, `/${key}`);
    // Optional in the CDR; when given it is the charge point's register.
    if (v === undefined) continue;
    checks.push(
      check(
        `rule:cdr-charge-point-${key}`,
        `${key} = ${said} (${wh} Wh)`,
        typeof v === 'number' && Math.abs(v - wh / 1000) <= KWH_TOLERANCE,
        `${kWh(wh)} kWh (${where})`,
        v,
        base,
      ),
    );
  }
  for (const [key, iso, said] of [
    ['ChargingStart', t.startedAt, 'StartTransaction.req timestamp'],
    ['ChargingEnd', t.stoppedAt, 'StopTransaction.req timestamp'],
  ] as const) {
    const v = at(cdr, `/${key}`);
    const gap = ms(v) !== undefined && ms(iso) !== undefined ? Math.abs(ms(v)! - ms(iso)!) : undefined;
    checks.push(
      check(
        `rule:cdr-charge-point-${key}`,
        `${key} within ${CHARGE_POINT_TIME_TOLERANCE_MS / 1000} s of ${said}`,
        gap !== undefined && gap <= CHARGE_POINT_TIME_TOLERANCE_MS,
        `${iso} (${where})`,
        gap === undefined ? (v ?? null) : `${String(v)} (${(gap / 1000).toFixed(3)} s apart)`,
        base,
      ),
    );
  }
  return checks;
}

// ── EVSE status pushes against StatusNotification ──────────────────────────────────────────────────────────────

interface StatusReport {
  frame: OcppFrame;
  evseId: string;
  ocpp: string;
  oicp: string;
  atMs: number;
}

/** The item's StatusNotifications that settle on a status the CPO must push (not replaced within the delay). */
function settledReports(view: OcppView, ctx: TimeScale): StatusReport[] {
  const all = callsOf(view.frames, 'StatusNotification')
    .map((c) => c.call)
    .filter((f) => f.direction === 'cp→csms');
  const delay = ctx.deadline(STATUS_FOLLOW_MS);
  return all.flatMap((f, i) => {
    const connectorId = payloadField(f, 'connectorId');
    const status = String(payloadField(f, 'status') ?? '');
    const evseId = typeof connectorId === 'number' ? view.evseAt(f.chargePointId, connectorId) : undefined;
    const oicp = OICP_STATUS[status];
    if (!evseId || !oicp) return [];
    const atMs = Date.parse(f.at);
    const replaced = all
      .slice(i + 1)
      .some(
        (g) =>
          g.chargePointId === f.chargePointId &&
          payloadField(g, 'connectorId') === connectorId &&
          Date.parse(g.at) - atMs <= delay,
      );
    return replaced ? [] : [{ frame: f, evseId, ocpp: status, oicp, atMs }];
  });
}

/** Each EvseStatusRecord the partner pushed, with the time HBS received it. */
function pushedStatuses(xs: readonly Exchange[]): Array<{ x: Exchange; evseId: string; status: string; atMs: number }> {
  return xs
    .filter((x) => x.operation === 'PushEvseStatus' && x.direction === 'partner→hub')
    .flatMap((x) => {
      if (at(x.request.body, '/ActionType') === 'delete') return [];
      const records = at(x.request.body, '/OperatorEvseStatus/EvseStatusRecord');
      return Array.isArray(records)
        ? records.map((r) => ({
            x,
            evseId: String(at(r, '/EvseID') ?? '').toUpperCase(),
            status: String(at(r, '/EvseStatus') ?? ''),
            atMs: Date.parse(x.startedAt),
          }))
        : [];
    });
}

export function statusFollowsChargePoint(xs: readonly Exchange[], ctx: OcppRuleContext): Check[] {
  const title = 'the EVSE status pushed follows the StatusNotifications';
  if (!ctx.ocpp) return noChargePoints('rule:status-charge-point', title);
  const reports = settledReports(ctx.ocpp, ctx);
  const pushes = pushedStatuses(xs);
  const delay = ctx.deadline(STATUS_FOLLOW_MS);
  if (reports.length === 0) {
    return [
      {
        id: 'rule:status-charge-point',
        title,
        outcome: 'error',
        expected: 'a StatusNotification of Available, Charging, Unavailable or Faulted at a profile connector',
        actual: 'none in this item',
        message:
          'the charge points reported no settled status to compare the pushes with; check the item ran its station actions',
      },
    ];
  }
  return reports.map((r) => {
    const mine = pushes.filter((p) => p.evseId === r.evseId.toUpperCase());
    // What HBS holds for the EVSE once the delay is over: the CPO's last push by then, if the item saw one.
    const holds = mine.filter((p) => p.atMs <= r.atMs + delay).at(-1);
    const ok = holds?.status === r.oicp;
    const late = mine.find((p) => p.atMs > r.atMs + delay && p.status === r.oicp);
    const secondsAfter = (p: { atMs: number }): string => `${((p.atMs - r.atMs) / 1000).toFixed(3)} s`;
    const actual = !holds
      ? late
        ? `${r.oicp} only ${secondsAfter(late)} after the notification (late)`
        : 'no PushEvseStatus for it'
      : holds.atMs >= r.atMs
        ? `${holds.status}, ${secondsAfter(holds)} after the notification`
        : ok
          ? `${r.oicp} already pushed before`
          : `${holds.status} (pushed ${((r.atMs - holds.atMs) / 1000).toFixed(3)} s before the notification, nothing since)`;
    return check(
      `rule:status-charge-point:${r.frame.seq}`,
      `${r.evseId}: ${r.ocpp} at the charge point (frame #${r.frame.seq}) → PushEvseStatus ${r.oicp} within ${limitText(STATUS_FOLLOW_MS, ctx)} (OICP 2.3 CPO, 02 Services and Operations, eRoamingPushEvseStatus)`,
      ok,
      r.oicp,
      actual,
      holds ? { exchangeId: holds.x.id, side: 'request' } : {},
    );
  });
}

/** Real milliseconds until every status the item's charge points reported has had its delay. */
export function statusSettleMs(ctx: OcppRuleContext, nowMs: number): number {
  if (!ctx.ocpp) return 0;
  const last = settledReports(ctx.ocpp, ctx).at(-1);
  return last ? Math.max(0, last.atMs + ctx.deadline(STATUS_FOLLOW_MS) - nowMs) : 0;
}

// ── Remote start: HBS → CSMS → charge point ────────────────────────────────────────────────────────────────────

const remoteStartLegs = (xs: readonly Exchange[]): Exchange[] =>
  xs.filter((x) => x.operation === 'AuthorizeRemoteStart' && x.direction === 'hub→partner');

/** Whether the partner's answer to HBS said the charge starts (Result true, 000). */
const saidYes = (x: Exchange): boolean => at(x.response?.body, '/Result') === true && x.statusCode === '000';

/** The EvseID a RemoteStartTransaction was for: its connector, or a single-connector charge point's only one. */
function targetOf(c: AnsweredCall, view: OcppView): string | undefined {
  const connectorId = payloadField(c.call, 'connectorId');
  if (typeof connectorId === 'number') return view.evseAt(c.call.chargePointId, connectorId);
  return view.connectorsAt(c.call.chargePointId) === 1 ? view.evseAt(c.call.chargePointId, 1) : undefined;
}

/**
 * Which RemoteStartTransaction each of HBS's remote starts became: first the one for its own EVSE, sent after it and
 * within the time it has (a concurrent CSMS may send them in another order, and a start it refused sends none); then, for a start the CPO accepted and
 * none went to its EVSE, the first other one still free in that time, to show where it went. A start the CPO refused
 * without asking a charge point takes none.
 */
function pairRemoteStarts(legs: readonly Exchange[], view: OcppView, ctx: TimeScale): Map<Exchange, AnsweredCall> {
  const calls = callsOf(view.frames, 'RemoteStartTransaction').filter((c) => c.call.direction === 'csms→cp');
  const within = (x: Exchange, c: AnsweredCall): boolean => {
    const gap = Date.parse(c.call.at) - Date.parse(x.startedAt);
    return gap >= 0 && gap <= ctx.deadline(REMOTE_START_REACH_MS);
  };
  const paired = new Map<Exchange, AnsweredCall>();
  const used = new Set<AnsweredCall>();
  // A RemoteStartTransaction answers the latest start for its EVSE before it: an earlier one the CPO refused itself
  // never sent one.
  for (const c of calls) {
    const target = targetOf(c, view)?.toUpperCase();
    const x = legs.findLast(
      (l) => !paired.has(l) && within(l, c) && String(at(l.request.body, '/EvseID') ?? '').toUpperCase() === target,
    );
    if (x) {
      paired.set(x, c);
      used.add(c);
    }
  }
  for (const x of legs) {
    if (paired.has(x) || !saidYes(x)) continue;
    const c = calls.find((k) => !used.has(k) && within(x, k));
    if (c) {
      paired.set(x, c);
      used.add(c);
    }
  }
  return paired;
}

export function remoteStartReachesChargePoint(xs: readonly Exchange[], ctx: OcppRuleContext): Check[] {
  const title = "a remote start reaches the EVSE's charge point, and the answers agree";
  if (!ctx.ocpp) return noChargePoints('rule:remote-start-charge-point', title);
  const view = ctx.ocpp;
  const legs = remoteStartLegs(xs);
  if (legs.length === 0) {
    return [
      {
        id: 'rule:remote-start-charge-point',
        title,
        outcome: 'error',
        expected: 'an AuthorizeRemoteStart HBS forwarded to the partner',
        actual: 'none in this item',
        message: 'nothing to compare: the item sent no remote start the partner received',
      },
    ];
  }
  const sent = pairRemoteStarts(legs, view, ctx);
  return legs.flatMap((x) => {
    const evseId = String(at(x.request.body, '/EvseID') ?? '');
    const answered = saidYes(x) ? 'Result true (000)' : `Result false (${x.statusCode ?? 'no code'})`;
    const base = { exchangeId: x.id, side: 'response' as const };
    const c = sent.get(x);
    const id = `rule:remote-start-charge-point:${x.id}`;
    if (!c) {
      return [
        check(
          id,
          `${evseId}: the remote start reaches its charge point as RemoteStartTransaction within ${limitText(REMOTE_START_REACH_MS, ctx)} (OICP 2.3 CPO, 02 Services and Operations, eRoamingAuthorizeRemoteStart: the CPO starts the charge at that EVSE)`,
          !saidYes(x),
          'a RemoteStartTransaction.req, or a refusal to HBS',
          `the CPO answered ${answered} and sent its charge points no RemoteStartTransaction`,
          base,
        ),
      ];
    }
    const connectorId = payloadField(c.call, 'connectorId');
    const target = targetOf(c, view);
    const sentTo = `${c.call.chargePointId}${typeof connectorId === 'number' ? ` connector ${connectorId}` : ' (no connectorId)'}${target ? ` = ${target}` : ''}`;
    const place = check(
      `${id}:connector`,
      `${evseId}: RemoteStartTransaction goes to that EVSE's charge point and connector (OCPP 1.6 §5.11 connectorId)`,
      target?.toUpperCase() === evseId.toUpperCase(),
      (() => {
        const w = view.connectorOf(evseId);
        return w ? `${w.chargePointId} connector ${w.connectorId}` : `the connector of ${evseId}`;
      })(),
      `${sentTo}, idTag ${String(payloadField(c.call, 'idTag') ?? '?')} (${seqs(c.call)})`,
      base,
    );
    const cpSaid =
      c.answer?.type === 'CALLRESULT'
        ? String(payloadField(c.answer, 'status') ?? '?')
        : c.answer
          ? `CALLERROR ${c.answer.errorCode ?? ''}`.trim()
          : 'no answer';
    const agree = check(
      `${id}:answer`,
      `${evseId}: the CPO's answer to HBS agrees with the charge point's (Rejected → not 000)`,
      cpSaid === 'Accepted' || !saidYes(x),
      cpSaid === 'Accepted' ? 'either' : 'Result false, not 000',
      `charge point: ${cpSaid} (${seqs(c.call, c.answer)}); CPO to HBS: ${answered}${c.answer && Date.parse(c.answer.at) > endOf(x) ? ', answered before its charge point did' : ''}`,
      base,
    );
    return [place, agree];
  });
}

/**
 * Real milliseconds until each remote start the CPO accepted has reached a charge point and been answered there, or
 * had its time to.
 */
export function remoteStartSettleMs(xs: readonly Exchange[], ctx: OcppRuleContext, nowMs: number): number {
  if (!ctx.ocpp) return 0;
  const legs = remoteStartLegs(xs);
  const sent = pairRemoteStarts(legs, ctx.ocpp, ctx);
  const waiting = legs.filter((x) => saidYes(x) && !sent.get(x)?.answer);
  return Math.max(0, ...waiting.map((x) => Date.parse(x.startedAt) + ctx.deadline(REMOTE_START_REACH_MS) - nowMs));
}

// ── Authorize at the charge point against HBS ──────────────────────────────────────────────────────────────────

/** The partner's AuthorizeStart/Stop requests for this card, with HBS's verdict, before `untilMs`. */
function hbsVerdicts(xs: readonly Exchange[], uid: string) {
  return xs.filter(
    (x) =>
      (x.operation === 'AuthorizeStart' || x.operation === 'AuthorizeStop') &&
      x.direction === 'partner→hub' &&
      String(at(x.request.body, '/Identification/RFIDMifareFamilyIdentification/UID') ?? '').toUpperCase() ===
        uid.toUpperCase(),
  );
}

export function authorizeFollowsHbs(xs: readonly Exchange[], ctx: OcppRuleContext): Check[] {
  const title = "the charge point's Authorize answer follows HBS's";
  if (!ctx.ocpp) return noChargePoints('rule:authorize-hbs', title);
  const view = ctx.ocpp;
  const authorizes = callsOf(view.frames, 'Authorize').filter((c) => c.call.direction === 'cp→csms' && c.answer);
  if (authorizes.length === 0) {
    return [
      {
        id: 'rule:authorize-hbs',
        title,
        outcome: 'error',
        expected: 'an Authorize.req from a charge point',
        actual: 'none answered in this item',
        message: 'nothing to compare: no card was presented at a charge point, or the CSMS never answered',
      },
    ];
  }
  const transactions = transactionsOf(view.frames);
  const remoteTags = callsOf(view.frames, 'RemoteStartTransaction').map((c) => ({
    cp: c.call.chargePointId,
    idTag: String(payloadField(c.call, 'idTag') ?? ''),
  }));
  return authorizes.map((c) => {
    const idTag = String(payloadField(c.call, 'idTag') ?? '');
    const status = String(at(c.answer!.payload, '/idTagInfo/status') ?? '?');
    const answeredAt = Date.parse(c.answer!.at);
    // What the CSMS knew when it answered: HBS's last verdict on the card that had come back by then. A request
    // still open at that moment did not inform the answer, whatever HBS said later.
    const verdicts = hbsVerdicts(xs, idTag);
    const asked = verdicts.filter((x) => endOf(x) <= answeredAt).at(-1);
    const pending = verdicts.find((x) => Date.parse(x.startedAt) <= answeredAt && endOf(x) > answeredAt);
    const hbs = asked ? String(at(asked.response?.body, '/AuthorizationStatus') ?? 'no answer') : undefined;
    // The CSMS already holds an authorization for this tag: its own remote start, or the running transaction's (a
    // transaction's own card may always end it: OCPP 1.6 has a charge point end a transaction for the idTag that
    // started it without asking, so HBS's say on that stop does not bind the CSMS).
    const own =
      remoteTags.some((r) => r.cp === c.call.chargePointId && r.idTag === idTag) ||
      transactions.some(
        (t) =>
          t.chargePointId === c.call.chargePointId &&
          t.idTag === idTag &&
          Date.parse(t.start.call.at) < answeredAt &&
          (!t.stop || Date.parse(t.stop.at) > Date.parse(c.call.at)),
      );
    const accepted = status === 'Accepted';
    const ok = !accepted || hbs === 'Authorized' || own;
    const actual = own
      ? `the CSMS told the charge point ${status} for its own transaction's or remote start's tag${asked ? ` (HBS answered ${hbs})` : ''}`
      : asked
        ? `HBS answered ${hbs}; the CSMS told the charge point ${status}`
        : pending
          ? `the CSMS told the charge point ${status} before HBS answered its ${pending.operation} for ${idTag}`
          : `the CSMS told the charge point ${status} without asking HBS (no AuthorizeStart or AuthorizeStop for ${idTag})`;
    return check(
      `rule:authorize-hbs:${c.call.seq}`,
      `card ${idTag} at ${c.call.chargePointId} (${seqs(c.call, c.answer)}): Accepted only when HBS authorized it (OICP 2.3 CPO, 02 Services and Operations, eRoamingAuthorizeStart: a roaming card charges on HBS's authorization and SessionID)`,
      ok,
      accepted ? 'HBS Authorized' : 'any',
      actual,
      asked ? { exchangeId: asked.id, side: 'response' } : {},
    );
  });
}
