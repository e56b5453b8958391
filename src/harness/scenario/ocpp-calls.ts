import type { AnsweredCall } from '../../ocpp/conversation.js';
import { callsOf, payloadField, transactionsOf } from '../../ocpp/conversation.js';
import type { Exchange } from '../../shared/exchange.js';
import { valueAt as at } from '../../shared/json-pointer.js';
import type { Check } from '../report/model.js';
import { limitText, type TimeScale } from './limits.js';
import { cannotJudge, endOf, noChargePoints, type OcppRuleContext, type OcppView, seqs } from './ocpp-rules.js';
import { check } from './verdict.js';

/**
 * The OCPP rules on calls between the CSMS and its charge points: HBS's remote start against the
 * RemoteStartTransaction it became and the charge point's answer, a card's Authorize answer against HBS's verdict.
 * Shared ground (the view, the context, the check builders) is in ocpp-rules.ts.
 */

/**
 * Times are whole milliseconds (ISO 8601): HBS's answer and the charge point's receipt of the CSMS's answer, both in
 * one process over loopback, can fall in the same millisecond or read one apart the wrong way. A CSMS that answered
 * before HBS did is seconds early, not milliseconds.
 */
const CLOCK_SLACK_MS = 5;

/**
 * Protocol time a CSMS has, after HBS's AuthorizeRemoteStart reached it, to send its charge point the
 * RemoteStartTransaction (and get the answer) before the rule judges: HBS's own remote-start timeout is 60 s.
 */
export const REMOTE_START_REACH_MS = 60_000;

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
    return cannotJudge(
      'rule:remote-start-charge-point',
      title,
      'an AuthorizeRemoteStart HBS forwarded to the partner',
      'none in this item',
      'nothing to compare: the item sent no remote start the partner received',
    );
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
    return cannotJudge(
      'rule:authorize-hbs',
      title,
      'an Authorize.req from a charge point',
      'none answered in this item',
      'nothing to compare: no card was presented at a charge point, or the CSMS never answered',
    );
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
    const asked = verdicts.filter((x) => endOf(x) <= answeredAt + CLOCK_SLACK_MS).at(-1);
    const pending = verdicts.find(
      (x) => Date.parse(x.startedAt) <= answeredAt && endOf(x) > answeredAt + CLOCK_SLACK_MS,
    );
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
