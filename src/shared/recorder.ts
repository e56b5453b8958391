import { EventEmitter } from 'node:events';
import { createWriteStream, fchmod, fstat, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { BoundedMemo } from './bounded-memo.js';
import { messageOf } from './errors.js';
import { capViolations, type Exchange, type HttpMessage } from './exchange.js';
import { makeDirs } from './fs.js';
import { MAX_JSON_DEPTH, valueTooDeep } from './json-depth.js';
import { type Logger, silentLogger } from './log.js';
import { redactHeaders, redactText, redactUrl } from './redact.js';

/** The transcript holds partners' traffic: readable by its owner only. */
const TRANSCRIPT_MODE = 0o600;

/** Default memory budget of the recorder: JSON bytes of the exchanges it keeps. */
export const DEFAULT_MAX_IN_MEMORY_BYTES = 32 * 1024 * 1024;
/** Dropped slots are compacted away once there are at least this many (and as many as live ones). */
const COMPACT_AFTER = 1024;

export interface RecorderEvents {
  exchange: [Exchange];
}

export interface RecorderOptions {
  /** Append every exchange as one JSON line to this file (created with mode 0600: it holds partners' traffic). */
  transcriptPath?: string;
  /** Keep at most this many exchanges in memory (oldest dropped first). */
  maxInMemory?: number;
  /**
   * …and at most about this many bytes of them, measured as their JSON (oldest dropped first; the newest is always
   * kept): the transcript line's length, or without a transcript an estimate from the bodies' wire sizes. Default DEFAULT_MAX_IN_MEMORY_BYTES: the count alone let repeated 4 MB bodies grow the heap without bound.
   */
  maxInMemoryBytes?: number;
  /** Where a failing transcript or a throwing listener is reported; the recording itself carries on. */
  logger?: Logger;
}

/**
 * Keeps every exchange in memory (bounded), appends it to a JSONL transcript, and emits a typed `exchange` event for
 * live consumers (scenario engine, process monitor).
 *
 * Everything that shows an exchange reads it from here, so this is where an exchange is made safe to keep and to
 * show, once, in place: secrets redacted (src/shared/redact.ts), violations capped, and a body nested deeper than
 * any OICP message replaced by a note, so that no stored exchange can make a later serialization fail.
 */
export class Recorder extends EventEmitter<RecorderEvents> {
  /**
   * The exchanges in memory, oldest first, from `head` on; slots before `head` were dropped (emptied at once, the
   * array compacted now and then), so dropping the oldest is O(1) amortized however many are kept.
   */
  private slots: Array<Exchange | undefined> = [];
  /** JSON length of each slot's exchange, same indexes. */
  private sizes: number[] = [];
  private head = 0;
  /** Sequence number (1-based, in recording order) of each exchange in memory, by id. */
  private readonly seqById = new Map<string, number>();
  private bytesInMemory = 0;
  private readonly maxInMemory: number;
  private readonly maxInMemoryBytes: number;
  private readonly logger: Logger;
  private transcript: WriteStream | undefined;
  private transcriptFailure: string | undefined;
  private dropped = 0;

  constructor(options: RecorderOptions = {}) {
    super();
    this.maxInMemory = options.maxInMemory ?? 100_000;
    this.maxInMemoryBytes = options.maxInMemoryBytes ?? DEFAULT_MAX_IN_MEMORY_BYTES;
    this.logger = options.logger ?? silentLogger();
    if (options.transcriptPath) this.openTranscript(options.transcriptPath);
  }

  /**
   * Keeps one exchange. `wireBytes` are the sizes of its bodies as they went over the wire, when the caller has them
   * (the pipeline and the OICP client do): without a transcript the exchange is then never serialized here, where
   * JSON.stringify of a 2000-record page cost several milliseconds per pull only to be counted.
   */
  record(exchange: Exchange, wireBytes?: WireBytes): void {
    sanitize(exchange);
    const line = this.transcript ? jsonLine(exchange) : undefined;
    const bytes = line?.length ?? estimatedBytes(exchange, wireBytes);
    this.slots.push(exchange);
    this.sizes.push(bytes);
    this.bytesInMemory += bytes;
    this.seqById.set(exchange.id, this.recordedCount());
    while (this.size() > 1 && (this.size() > this.maxInMemory || this.bytesInMemory > this.maxInMemoryBytes))
      this.dropOldest();
    if (line !== undefined) this.transcript?.write(`${line}\n`);
    // One consumer failing (a monitor stream, a scenario check) must neither skip the others nor fail the exchange.
    for (const listener of this.listeners('exchange')) {
      try {
        listener(exchange);
      } catch (e) {
        this.logger.error({ err: e, exchange: exchange.id }, 'an exchange listener failed');
      }
    }
  }

  /**
   * Appends a line that is not an exchange (an OCPP frame) to the transcript, tagged `"kind"` first so a reader tells
   * it from an exchange line, in the order it happened among them. It is not kept in memory (its own log keeps it),
   * and a failing transcript stops it as it stops the exchanges. The caller bounds `entry` (written whole) and gives it
   * no `kind` of its own.
   */
  transcribe(kind: string, entry: object): void {
    const transcript = this.transcript;
    if (!transcript) return;
    let line: string;
    try {
      line = JSON.stringify({ kind, ...entry });
    } catch (e) {
      line = JSON.stringify({ kind, transcriptError: messageOf(e) });
    }
    transcript.write(`${line}\n`);
  }

  /** The exchanges in memory, oldest first. */
  all(): readonly Exchange[] {
    if (this.head > 0) this.compact();
    // Only slots before `head` are ever emptied, and compact() cut those off.
    return this.slots as readonly Exchange[];
  }

  /**
   * The exchanges in memory recorded after the first `count` (a position taken from recordedCount()): positions
   * stay right when older exchanges leave memory, unlike indexes into all().
   */
  since(count: number): Exchange[] {
    const out: Exchange[] = [];
    const start = this.head + Math.max(0, count - this.dropped);
    for (let i = start; i < this.slots.length; i++) {
      const x = this.slots[i];
      if (x) out.push(x);
    }
    return out;
  }

  get(id: string): Exchange | undefined {
    const seq = this.seqById.get(id);
    return seq === undefined ? undefined : this.slots[this.head + (seq - this.dropped - 1)];
  }

  /** The exchange's sequence number (1-based, in recording order), while it is in memory. */
  seqOf(id: string): number | undefined {
    return this.seqById.get(id);
  }

  /** How many exchanges are in memory. */
  size(): number {
    return this.slots.length - this.head;
  }

  /** How many exchanges were ever recorded: the sequence number of the newest. */
  recordedCount(): number {
    return this.dropped + this.size();
  }

  /** How many exchanges fell out of memory (still in the transcript). */
  droppedCount(): number {
    return this.dropped;
  }

  private dropOldest(): void {
    const oldest = this.slots[this.head];
    if (oldest) this.seqById.delete(oldest.id);
    this.bytesInMemory -= this.sizes[this.head] ?? 0;
    this.slots[this.head] = undefined;
    this.head++;
    this.dropped++;
    // Compacting costs the live count; doing it once the dropped slots are as many as the live ones keeps it O(1)
    // per drop on average.
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.slots.length) this.compact();
  }

  private compact(): void {
    this.slots = this.slots.slice(this.head);
    this.sizes = this.sizes.slice(this.head);
    this.head = 0;
  }

  /** Why the transcript stopped being written, if it did (the in-memory recording carries on). */
  transcriptError(): string | undefined {
    return this.transcriptFailure;
  }

  async close(): Promise<void> {
    const t = this.transcript;
    this.transcript = undefined;
    if (!t || t.destroyed) return;
    await new Promise<void>((resolve) => {
      t.once('error', () => resolve());
      t.end(() => resolve());
    });
  }

  private openTranscript(path: string): void {
    try {
      makeDirs(dirname(path));
    } catch (e) {
      this.failTranscript(path, e);
      return;
    }
    const stream = createWriteStream(path, { flags: 'a', mode: TRANSCRIPT_MODE });
    stream.on('open', (fd: number) => this.restrictMode(path, fd));
    stream.on('error', (e) => this.failTranscript(path, e));
    this.transcript = stream;
  }

  /**
   * `mode` only applies to a new file; an existing transcript appended to keeps whatever mode it had, so a regular
   * file is narrowed here (never a device or pipe the user pointed at, which belongs to someone else).
   */
  private restrictMode(path: string, fd: number): void {
    fstat(fd, (statError, stats) => {
      if (statError || !stats.isFile() || (stats.mode & 0o777) === TRANSCRIPT_MODE) return;
      fchmod(fd, TRANSCRIPT_MODE, (e) => {
        if (e)
          this.logger.warn(
            { err: e, transcript: path },
            `cannot restrict ${path} to its owner (mode 0600): ${messageOf(e)}`,
          );
      });
    });
  }

  /** Reports a transcript failure once and stops writing it: a full disk must not take the hub down. */
  private failTranscript(path: string, e: unknown): void {
    const stream = this.transcript;
    this.transcript = undefined;
    stream?.destroy();
    if (this.transcriptFailure !== undefined) return;
    this.transcriptFailure = `${path}: ${messageOf(e)}`;
    this.logger.error(
      { err: e, transcript: path },
      `cannot write the transcript ${path} (${messageOf(e)}); exchanges are still recorded in memory and shown in the monitor. Give --transcript a writable file path`,
    );
  }
}

/** Sizes of an exchange's bodies as sent, in bytes (see Recorder.record). */
export interface WireBytes {
  request?: number;
  response?: number;
}

/** What an exchange's JSON around its bodies takes at least: field names, id, times, direction, status. */
const EXCHANGE_FRAME_BYTES = 320;
/** …and per violation, beside its message and pointer. */
const VIOLATION_FRAME_BYTES = 64;

/**
 * About the length of the exchange's JSON line, without writing it: bodies by their wire size where known (a body
 * kept as parsed JSON serializes to about the bytes it came in), else serialized; headers, URL and violations by
 * their text. It is the unit of the in-memory budget, so only its order of magnitude matters.
 */
function estimatedBytes(exchange: Exchange, wire: WireBytes | undefined): number {
  let n = EXCHANGE_FRAME_BYTES + exchange.id.length + exchange.operation.length + (exchange.partnerId?.length ?? 0);
  n += messageBytes(exchange.request, wire?.request);
  if (exchange.response) n += messageBytes(exchange.response, wire?.response);
  for (const v of exchange.violations) n += VIOLATION_FRAME_BYTES + v.message.length + v.pointer.length;
  if (exchange.transportError) n += VIOLATION_FRAME_BYTES + exchange.transportError.message.length;
  return n;
}

function messageBytes(message: HttpMessage, wire: number | undefined): number {
  let n = (message.url?.length ?? 0) + (message.method?.length ?? 0);
  const headers = message.headers ?? {};
  for (const k in headers) n += k.length + String(headers[k]).length + 6;
  const body = message.body;
  if (body === undefined) return n;
  // A body replaced by a note (too deep) or kept as text is measured as it is kept.
  if (typeof body === 'string') return n + body.length + 2;
  if (wire !== undefined) return n + wire;
  try {
    return n + (JSON.stringify(body)?.length ?? 0);
  } catch {
    return n;
  }
}

/** One transcript line; its length is also what the exchange costs against the in-memory budget. */
function jsonLine(exchange: Exchange): string {
  try {
    return JSON.stringify(exchange);
  } catch (e) {
    // sanitize() makes this unreachable for plain JSON; keep the line count honest if something else slips in.
    return JSON.stringify({
      id: exchange.id,
      operation: exchange.operation,
      startedAt: exchange.startedAt,
      transcriptError: messageOf(e),
    });
  }
}

/**
 * Header values and URLs repeat from one exchange to the next (`application/json`, `keep-alive`, the partner's host,
 * the operation's path), but each message brings its own copy of them from the HTTP parser. Kept exchanges hold one
 * shared copy instead: a forwarded remote start left 2.2 KB in the heap, now 1.8 KB (test/bench/forwarding.ts), with
 * fewer objects for the collector to copy and mark. Bounded by a memo, so values that never repeat (a Date header)
 * cost nothing lasting.
 */
const keptStrings = new BoundedMemo<string, string>(4096);
/** Longer strings are rarely repeated and are kept as they are. */
const MAX_SHARED_LENGTH = 256;

function kept(value: string): string {
  return value.length > MAX_SHARED_LENGTH ? value : keptStrings.get(value, () => value);
}

/** Replaces each header value by its kept copy in place (the headers object belongs to the exchange). */
function withKeptValues(headers: Record<string, string>): Record<string, string> {
  if (Object.isFrozen(headers)) return headers;
  for (const name in headers) {
    const value = headers[name];
    // Always stored: `!==` compares strings by content, so it cannot tell the kept copy from this one.
    if (typeof value === 'string') headers[name] = kept(value);
  }
  return headers;
}

/** Redacts, caps and bounds one exchange in place (see Recorder). */
function sanitize(exchange: Exchange): void {
  sanitizeMessage(exchange.request);
  if (exchange.response) sanitizeMessage(exchange.response);
  if (exchange.transportError) exchange.transportError.message = redactText(exchange.transportError.message);
  capViolations(exchange);
}

function sanitizeMessage(message: HttpMessage): void {
  message.headers = withKeptValues(redactHeaders(message.headers ?? {}));
  if (message.url !== undefined) message.url = kept(redactUrl(message.url));
  if (typeof message.body === 'object' && message.body !== null && valueTooDeep(message.body, MAX_JSON_DEPTH)) {
    message.body = `(body not kept: nested more than ${MAX_JSON_DEPTH} levels deep)`;
  }
}
