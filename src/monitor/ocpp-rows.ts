import type { FrameLog, FrameType, OcppFrame } from '../ocpp/frames.js';
import type { SeqPage } from './list.js';
import type { PageRequest } from './query.js';

/** One line of the monitor's OCPP list: a frame without its payload, plus a short view of what it carried. */
export interface OcppFrameRow {
  /** The frame log's sequence number: the paging cursor and the stream's event id. */
  seq: number;
  at: string;
  chargePointId: string;
  direction: OcppFrame['direction'];
  type: FrameType;
  messageId: string | null;
  action: string | null;
  errorCode: string | null;
  /** The payload as JSON, a CALLERROR's description, a MALFORMED frame's text; cut to SUMMARY_CHARS. */
  summary: string;
}

/** One page of frames, newest first, with the cursors to move from it; the exchange list's shape. */
/** A page of frames; `total` is every frame in memory (there is no filter). */
export interface OcppFramePage extends SeqPage<OcppFrameRow> {
  /** False when this process runs no OCPP charge points (`serve`, an EMP run, a CPO profile without `ocpp:`). */
  enabled: boolean;
}

/** What a row shows of a payload: enough to recognise the frame; the detail has all of it. */
export const SUMMARY_CHARS = 160;
/** A CSMS chooses message ids and could send a megabyte of one; OCPP-J allows 36 characters. */
const FIELD_CHARS = 100;

export const NO_CHARGE_POINTS =
  'this process runs no OCPP charge points: they run in `hbs-sim run` (and `demo --role cpo --ocpp`) when the CPO profile has an `ocpp:` block';

export function toFrameRow(frame: OcppFrame): OcppFrameRow {
  return {
    seq: frame.seq,
    at: frame.at,
    chargePointId: cut(frame.chargePointId, FIELD_CHARS),
    direction: frame.direction,
    type: frame.type,
    messageId: frame.messageId === undefined ? null : cut(frame.messageId, FIELD_CHARS),
    action: frame.action === undefined ? null : cut(frame.action, FIELD_CHARS),
    errorCode: frame.errorCode === undefined ? null : cut(frame.errorCode, FIELD_CHARS),
    summary: cut(summaryOf(frame), SUMMARY_CHARS),
  };
}

function summaryOf(frame: OcppFrame): string {
  if (frame.type === 'MALFORMED') return frame.text ?? '';
  if (frame.type === 'CALLERROR' && frame.errorDescription) return frame.errorDescription;
  if (frame.payload === undefined) return '';
  return typeof frame.payload === 'string' ? frame.payload : (JSON.stringify(frame.payload) ?? '');
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function emptyFramePage(): OcppFramePage {
  return { enabled: false, items: [], total: 0, older: null, newer: null, newestSeq: 0, recorded: 0, dropped: 0 };
}

/**
 * Seq cursors as the exchange list has them. The log numbers frames 1, 2, 3… and drops only its oldest, so a seq
 * is found by subtraction, not by search.
 */
export function listFrames(log: FrameLog, page: PageRequest): OcppFramePage {
  const kept = log.all();
  const newestSeq = log.recordedCount();
  const firstSeq = kept[0]?.seq ?? newestSeq + 1;
  const at = (seq: number): number => Math.min(kept.length, Math.max(0, seq - firstSeq));
  let lo: number;
  let hi: number;
  if (page.after !== undefined) {
    lo = at(page.after + 1);
    hi = Math.min(kept.length, lo + page.limit);
  } else {
    hi = page.before === undefined ? kept.length : at(page.before);
    lo = Math.max(0, hi - page.limit);
  }
  const shown = kept.slice(lo, hi);
  return {
    enabled: true,
    items: shown.reverse().map(toFrameRow),
    total: kept.length,
    older: lo > 0 && hi > lo ? kept[lo]!.seq : null,
    newer: hi < kept.length && hi > lo ? kept[hi - 1]!.seq : null,
    newestSeq,
    recorded: kept.length,
    dropped: newestSeq - kept.length,
  };
}

/** The frame with this seq while it is in memory, and the other half of its call: the answer, or what it answers. */
export function frameWithPair(log: FrameLog, seq: number): { frame: OcppFrame; pair: OcppFrame | null } | undefined {
  const kept = log.all();
  const index = seq - (kept[0]?.seq ?? 0);
  const frame = kept[index];
  if (!frame || frame.seq !== seq) return undefined;
  return { frame, pair: pairOf(kept, index) };
}

/** OCPP-J pairs a CALL and its answer by message id, per charge point and in opposite directions. */
function pairOf(kept: readonly OcppFrame[], index: number): OcppFrame | null {
  const frame = kept[index]!;
  if (frame.messageId === undefined || frame.type === 'MALFORMED') return null;
  const isCall = frame.type === 'CALL';
  const matches = (f: OcppFrame): boolean =>
    f.chargePointId === frame.chargePointId &&
    f.messageId === frame.messageId &&
    f.direction !== frame.direction &&
    (isCall ? f.type === 'CALLRESULT' || f.type === 'CALLERROR' : f.type === 'CALL');
  if (isCall) {
    for (let i = index + 1; i < kept.length; i++) if (matches(kept[i]!)) return kept[i]!;
  } else {
    for (let i = index - 1; i >= 0; i--) if (matches(kept[i]!)) return kept[i]!;
  }
  return null;
}
