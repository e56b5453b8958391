import type { ForwardStatus, StoredCdr } from '../hub/port.js';
import { type Exchange, type ExchangeDirection, type Violation, violationCount } from '../shared/exchange.js';
import type { Recorder } from '../shared/recorder.js';
import { categoryOf, type ServiceCategory } from './categories.js';

export const FORWARD_STATUSES: readonly ForwardStatus[] = ['PENDING', 'FORWARDED', 'NOT_FORWARDED'];

/** One line of the monitor's list: an exchange without its bodies, plus what the hub's state says about it. */
export interface MonitorRow {
  /** Position in the recording, 1-based and stable while older exchanges fall out of memory: the paging cursor. */
  seq: number;
  id: string;
  startedAt: string;
  direction: ExchangeDirection;
  partnerId: string | null;
  operation: string;
  category: ServiceCategory;
  /** HTTP status of the answer; null when none arrived (see transportError). */
  httpStatus: number | null;
  /** OICP StatusCode.Code of the answer, when it carried one. */
  statusCode: string | null;
  durationMs: number;
  /** How many rules the exchange broke, counting those past the recorded list (violationTotal). */
  violations: number;
  violationKinds: Array<Violation['kind']>;
  transportError: string | null;
  sessionId: string | null;
  causeId: string | null;
  /** Set on the CDR HBS stored and on its forwarded leg: where the CDR stands now. */
  forwardStatus: ForwardStatus | null;
  url: string | null;
}

/** Reads the stored CDR of a session (the hub's state, never the exchange) so forward status is always current. */
export type CdrLookup = (sessionId: string) => StoredCdr | undefined;

export function toRow(exchange: Exchange, seq: number, cdrOf: CdrLookup): MonitorRow {
  return {
    seq,
    id: exchange.id,
    startedAt: exchange.startedAt,
    direction: exchange.direction,
    partnerId: exchange.partnerId ?? null,
    operation: exchange.operation,
    category: categoryOf(exchange.operation),
    httpStatus: exchange.response?.status ?? null,
    statusCode: exchange.statusCode ?? null,
    durationMs: exchange.durationMs,
    violations: violationCount(exchange),
    violationKinds: [...new Set(exchange.violations.map((v) => v.kind))],
    transportError: exchange.transportError
      ? `${exchange.transportError.code}: ${exchange.transportError.message}`
      : null,
    sessionId: exchange.sessionId ?? null,
    causeId: exchange.causeId ?? null,
    forwardStatus: forwardStatusOf(exchange, cdrOf),
    url: exchange.request.url ?? null,
  };
}

/**
 * A refused second CDR for a session carries the same SessionID as the stored one, so only the accepted upload
 * (Result true) and the hub's forwarded leg show the stored CDR's forward status.
 */
export function forwardStatusOf(exchange: Exchange, cdrOf: CdrLookup): ForwardStatus | null {
  if (exchange.operation !== 'ChargeDetailRecord' || !exchange.sessionId) return null;
  if (exchange.direction === 'partner→hub' && !accepted(exchange)) return null;
  return cdrOf(exchange.sessionId)?.forwardStatus ?? null;
}

function accepted(exchange: Exchange): boolean {
  const body = exchange.response?.body;
  return typeof body === 'object' && body !== null && (body as { Result?: unknown }).Result === true;
}

/**
 * The recorder only appends and drops from the front, so "dropped so far + index + 1" numbers every exchange once
 * and for good: a cursor that survives the in-memory window moving.
 */
export function seqAt(recorder: Recorder, index: number): number {
  return recorder.droppedCount() + index + 1;
}

/** The seq of the newest recorded exchange (0 when nothing was recorded). */
export function newestSeq(recorder: Recorder): number {
  return recorder.recordedCount();
}
