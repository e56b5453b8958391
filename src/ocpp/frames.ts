import { EventEmitter } from 'node:events';
import { MAX_JSON_DEPTH, valueTooDeep } from '../shared/json-depth.js';

/**
 * OCPP-J frames as they crossed a charge point's WebSocket (OCPP-J 1.6 §4: CALL [2, id, action, payload],
 * CALLRESULT [3, id, payload], CALLERROR [4, id, errorCode, errorDescription, errorDetails]), kept for the reports and
 * the monitor beside the OICP exchanges. A frame that is none of these is kept too, as text: a CSMS's malformed frame
 * is evidence.
 */

export type FrameType = 'CALL' | 'CALLRESULT' | 'CALLERROR' | 'MALFORMED';

export interface OcppFrame {
  /** 1-based, in the order the log saw them. */
  seq: number;
  /** Wall-clock time the frame was sent or received (ISO 8601). */
  at: string;
  chargePointId: string;
  direction: 'cp→csms' | 'csms→cp';
  type: FrameType;
  messageId?: string;
  /** The CALL's action; on CALLRESULT and CALLERROR the action of the CALL they answer, when known. */
  action?: string;
  payload?: unknown;
  errorCode?: string;
  errorDescription?: string;
  /** A MALFORMED frame's text, cut to MAX_MALFORMED_TEXT characters. */
  text?: string;
}

/** A malformed frame is kept up to this many characters: enough to see what it was. */
export const MAX_MALFORMED_TEXT = 2000;
/**
 * A frame's payload is kept up to this size; a larger one (the socket takes up to 1 MiB) is replaced by a note of its
 * size, so that a CSMS sending big frames cannot fill memory through the log.
 */
export const MAX_KEPT_FRAME_TEXT = 64 * 1024;
/** Frames kept in memory by default (oldest dropped first). */
export const DEFAULT_MAX_FRAMES = 10_000;

const TYPES: Record<number, FrameType> = { 2: 'CALL', 3: 'CALLRESULT', 4: 'CALLERROR' };

/**
 * A frame's names (messageId, action, errorCode) are kept up to this many characters, its errorDescription up to
 * MAX_MALFORMED_TEXT: OCPP-J gives a messageId 36 characters and names a few dozen, so more is a broken CSMS, and a
 * socket message of up to 1 MiB must not be kept whole through a field the payload cut does not reach.
 */
export const MAX_FRAME_NAME = 200;

const cut = (v: string, max: number): string =>
  v.length <= max ? v : `${v.slice(0, max)}… (cut: ${v.length} characters)`;

/** Reads one WebSocket message as an OCPP-J frame, or a MALFORMED one with its text; every string is bounded. */
export function parseFrame(raw: string): Omit<OcppFrame, 'seq' | 'at' | 'chargePointId' | 'direction'> {
  const f = parseWhole(raw);
  return {
    ...f,
    ...(f.messageId === undefined ? {} : { messageId: cut(f.messageId, MAX_FRAME_NAME) }),
    ...(f.action === undefined ? {} : { action: cut(f.action, MAX_FRAME_NAME) }),
    ...(f.errorCode === undefined ? {} : { errorCode: cut(f.errorCode, MAX_FRAME_NAME) }),
    ...(f.errorDescription === undefined ? {} : { errorDescription: cut(f.errorDescription, MAX_MALFORMED_TEXT) }),
  };
}

function parseWhole(raw: string): Omit<OcppFrame, 'seq' | 'at' | 'chargePointId' | 'direction'> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { type: 'MALFORMED', text: raw.slice(0, MAX_MALFORMED_TEXT) };
  }
  if (!Array.isArray(value) || typeof value[1] !== 'string') {
    return { type: 'MALFORMED', text: raw.slice(0, MAX_MALFORMED_TEXT) };
  }
  const type = TYPES[value[0] as number];
  const messageId = value[1];
  if (type === 'CALL' && typeof value[2] === 'string') return { type, messageId, action: value[2], payload: value[3] };
  if (type === 'CALLRESULT') return { type, messageId, payload: value[2] };
  if (type === 'CALLERROR') {
    return {
      type,
      messageId,
      errorCode: String(value[2]),
      errorDescription: typeof value[3] === 'string' ? value[3] : '',
      payload: value[4],
    };
  }
  return { type: 'MALFORMED', messageId, text: raw.slice(0, MAX_MALFORMED_TEXT) };
}

/**
 * Every OCPP frame of a run, in order, bounded by count; emits `frame` for live consumers. Answers are labelled with
 * the action of the CALL they answer (a CALLRESULT alone does not name it).
 */
export class FrameLog extends EventEmitter<{ frame: [OcppFrame] }> {
  private readonly frames: OcppFrame[] = [];
  private head = 0;
  private count = 0;
  /** Action of each unanswered CALL, by charge point and message id. */
  private readonly pending = new Map<string, string>();

  constructor(private readonly maxFrames = DEFAULT_MAX_FRAMES) {
    super();
  }

  add(chargePointId: string, direction: OcppFrame['direction'], raw: string, at = new Date()): OcppFrame {
    const parsed = parseFrame(raw);
    if (raw.length > MAX_KEPT_FRAME_TEXT && parsed.payload !== undefined) {
      parsed.payload = `(payload not kept: the frame had ${raw.length} characters)`;
    }
    // JSON.stringify (report, monitor, transcript) exhausts the stack a few thousand levels down; 64 KiB nest deeper.
    if (valueTooDeep(parsed.payload, MAX_JSON_DEPTH)) {
      parsed.payload = `(payload not kept: nested more than ${MAX_JSON_DEPTH} levels deep)`;
    }
    const key = `${chargePointId}\u0000${parsed.messageId ?? ''}`;
    if (parsed.type === 'CALL' && parsed.action) {
      if (this.pending.size >= this.maxFrames) this.pending.clear();
      this.pending.set(key, parsed.action);
    }
    let action = parsed.action;
    if (parsed.type === 'CALLRESULT' || parsed.type === 'CALLERROR') {
      action = this.pending.get(key);
      this.pending.delete(key);
    }
    const frame: OcppFrame = {
      ...parsed,
      ...(action ? { action } : {}),
      seq: ++this.count,
      at: at.toISOString(),
      chargePointId,
      direction,
    };
    this.frames.push(frame);
    if (this.frames.length - this.head > this.maxFrames) this.head++;
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames.splice(0, this.head);
      this.head = 0;
    }
    // A failing consumer (a monitor stream, a check) must neither skip the others nor fail the charge point's call.
    for (const listener of this.listeners('frame')) {
      try {
        listener(frame);
      } catch {
        // The frame is kept; the consumer's own error handling is its business.
      }
    }
    return frame;
  }

  /** The frames in memory, oldest first; from a sequence number on when `afterSeq` is given. */
  all(afterSeq = 0): OcppFrame[] {
    return this.frames.slice(this.head).filter((f) => f.seq > afterSeq);
  }

  /** How many frames were ever added: the sequence number of the newest. */
  recordedCount(): number {
    return this.count;
  }
}
