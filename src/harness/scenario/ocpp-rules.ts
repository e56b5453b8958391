import type { ChargePointTransaction } from '../../ocpp/conversation.js';
import { callsOf, payloadField, transactionsOf } from '../../ocpp/conversation.js';
import type { OcppFrame } from '../../ocpp/frames.js';
import type { Exchange } from '../../shared/exchange.js';
import { valueAt as at } from '../../shared/json-pointer.js';
import type { Check } from '../report/model.js';
import { limitText, type TimeScale } from './limits.js';
import { check } from './verdict.js';

/**
 * Rules that hold a CPO's OICP side against what its own charge points did over OCPP 1.6-J (profile `ocpp:`): the
 * CDR against the transaction's meter and times, the EVSE status it pushes against the StatusNotifications (here);
 * a remote start against the RemoteStartTransaction it became, the charge point's Authorize answer against HBS's
 * (ocpp-calls.ts). Each verdict names the frames it rests on (their sequence numbers, as the report lists them).
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
  /** Protocol milliseconds the CSMS has to push a status its charge point reported (profile, or STATUS_FOLLOW_MS). */
  statusWithinMs: number;
}

export interface OcppRuleContext extends TimeScale {
  ocpp?: OcppView;
}

/**
 * Protocol time a CPO has, by default, to push the EVSE status its charge point reported. OICP 2.3 makes
 * eRoamingPushEvseStatus mandatory and has HBS hold the EVSE's status from it (CPO, 02 Services and Operations), but
 * sets no time for a change; 30 s is this tool's default for a backend that queues its pushes, and a profile may set
 * another (`ocpp.statusPushWithinMs`). A notification that another one replaces within that time is not judged.
 */
export const STATUS_FOLLOW_MS = 30_000;
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
export const endOf = (x: Exchange): number => Date.parse(x.startedAt) + x.durationMs;
export const seqs = (...frames: Array<OcppFrame | undefined>): string =>
  `frame${frames.filter(Boolean).length === 1 ? '' : 's'} ${frames
    .filter((f): f is OcppFrame => f !== undefined)
    .map((f) => `#${f.seq}`)
    .join(', ')}`;
const kWh = (wh: number): number => Number((wh / 1000).toFixed(3));

/** The one check of a rule that had nothing to judge: the harness's `error`, saying what was missing and what to do. */
export function cannotJudge(
  id: string,
  title: string,
  expected: string,
  actual: string,
  message: string,
  extra: Partial<Check> = {},
): Check[] {
  return [{ id, title, outcome: 'error', expected, actual, message, ...extra }];
}

export function noChargePoints(id: string, title: string): Check[] {
  return cannotJudge(
    id,
    title,
    'charge points over OCPP',
    'none',
    'this rule compares the CSMS with its charge points: give the partner profile an `ocpp:` block',
  );
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
    return cannotJudge(
      'rule:cdr-charge-point',
      title,
      `a transaction at the charge point of ${evseId}, stopped before the CDR`,
      'none in this item',
      `no StartTransaction/StopTransaction at ${evseId}'s connector came before this CDR, so there is nothing to compare it with; check that ${evseId} is listed under ocpp.chargePoints[].connectors`,
      base,
    );
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
  const delay = ctx.deadline(view.statusWithinMs);
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
  const within = ctx.ocpp.statusWithinMs;
  const delay = ctx.deadline(within);
  if (reports.length === 0) {
    return cannotJudge(
      'rule:status-charge-point',
      title,
      'a StatusNotification of Available, Charging, Unavailable or Faulted at a profile connector',
      'none in this item',
      'the charge points reported no settled status to compare the pushes with; check the item ran its station actions',
    );
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
      `${r.evseId}: ${r.ocpp} at the charge point (frame #${r.frame.seq}) → PushEvseStatus ${r.oicp} within ${limitText(within, ctx)}${within === STATUS_FOLLOW_MS ? " (this tool's default; OICP sets no time)" : " (the profile's ocpp.statusPushWithinMs)"}: the status HBS holds describes the EVSE (OICP 2.3 CPO, 02 Services and Operations, eRoamingPushEvseStatus; 03 Data Types, EvseStatus)`,
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
  return last ? Math.max(0, last.atMs + ctx.deadline(ctx.ocpp.statusWithinMs) - nowMs) : 0;
}
