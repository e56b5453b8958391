import type { OcppFrame } from './frames.js';

/**
 * What a run of OCPP-J frames says happened at the charge points: each CALL with the answer it got, and the
 * transactions (StartTransaction.req/conf, StopTransaction.req of OCPP 1.6 §§5.16, 5.17, 6.45, 6.46, 6.49). Pure
 * functions of the frame log, so the rules that compare a CSMS's OICP side with its charge points are evidence-based:
 * a report shows the frames each verdict rests on.
 */

/** A CALL and the CALLRESULT or CALLERROR that answered it (none while unanswered, or never). */
export interface AnsweredCall {
  call: OcppFrame;
  answer?: OcppFrame;
}

/** A transaction as the charge point reported it: meter register in Wh, times as its frames carried them. */
export interface ChargePointTransaction {
  chargePointId: string;
  connectorId: number;
  idTag: string;
  /** From StartTransaction.conf; absent when the CSMS never answered it. */
  transactionId?: number;
  meterStartWh: number;
  /** StartTransaction.req timestamp. */
  startedAt: string;
  start: AnsweredCall;
  meterStopWh?: number;
  /** StopTransaction.req timestamp. */
  stoppedAt?: string;
  reason?: string;
  stop?: OcppFrame;
}

const keyOf = (f: OcppFrame): string => `${f.chargePointId}\u0000${f.messageId ?? ''}`;

/** Every CALL of `action` (in either direction) with its answer, in the order they were sent. */
export function callsOf(frames: readonly OcppFrame[], action: string): AnsweredCall[] {
  const open = new Map<string, AnsweredCall>();
  const calls: AnsweredCall[] = [];
  for (const f of frames) {
    if (f.type === 'CALL' && f.action === action) {
      const c: AnsweredCall = { call: f };
      calls.push(c);
      open.set(keyOf(f), c);
    } else if ((f.type === 'CALLRESULT' || f.type === 'CALLERROR') && f.action === action) {
      const c = open.get(keyOf(f));
      // An answer travels the other way from its CALL; one from the same side is another conversation's.
      if (c && c.call.direction !== f.direction) {
        c.answer = f;
        open.delete(keyOf(f));
      }
    }
  }
  return calls;
}

const field = (payload: unknown, key: string): unknown =>
  payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[key] : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The transactions the frames show, in the order they started; a stop is paired by transactionId and charge point. */
export function transactionsOf(frames: readonly OcppFrame[]): ChargePointTransaction[] {
  const transactions: ChargePointTransaction[] = [];
  for (const start of callsOf(frames, 'StartTransaction')) {
    const p = start.call.payload;
    const connectorId = num(field(p, 'connectorId'));
    const meterStartWh = num(field(p, 'meterStart'));
    if (start.call.direction !== 'cp→csms' || connectorId === undefined || meterStartWh === undefined) continue;
    const transactionId =
      start.answer?.type === 'CALLRESULT' ? num(field(start.answer.payload, 'transactionId')) : undefined;
    transactions.push({
      chargePointId: start.call.chargePointId,
      connectorId,
      idTag: str(field(p, 'idTag')) ?? '',
      ...(transactionId === undefined ? {} : { transactionId }),
      meterStartWh,
      startedAt: str(field(p, 'timestamp')) ?? start.call.at,
      start,
    });
  }
  for (const f of frames) {
    if (f.type !== 'CALL' || f.action !== 'StopTransaction' || f.direction !== 'cp→csms') continue;
    const id = num(field(f.payload, 'transactionId'));
    // Without an ID it ends no transaction it could be paired with (one the CSMS never numbered included).
    if (id === undefined) continue;
    const t = transactions.find(
      (x) => x.chargePointId === f.chargePointId && x.transactionId === id && x.stop === undefined,
    );
    if (!t) continue;
    const meterStopWh = num(field(f.payload, 'meterStop'));
    t.stop = f;
    if (meterStopWh !== undefined) t.meterStopWh = meterStopWh;
    t.stoppedAt = str(field(f.payload, 'timestamp')) ?? f.at;
    const reason = str(field(f.payload, 'reason'));
    if (reason) t.reason = reason;
  }
  return transactions;
}

/** A CALL's or answer's payload field, for rules reading what the frames carried. */
export function payloadField(frame: OcppFrame | undefined, key: string): unknown {
  return frame ? field(frame.payload, key) : undefined;
}
