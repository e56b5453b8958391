import { EventEmitter } from 'node:events';
import { createWriteStream, fchmod, fstat, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { messageOf } from './errors.js';
import { capViolations, type Exchange, type HttpMessage } from './exchange.js';
import { makeDirs } from './fs.js';
import { MAX_JSON_DEPTH, valueTooDeep } from './json-depth.js';
import { type Logger, silentLogger } from './log.js';
import { redactHeaders, redactText, redactUrl } from './redact.js';

/** The transcript holds partners' traffic: readable by its owner only. */
const TRANSCRIPT_MODE = 0o600;

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
   * kept). Default 128 MiB: the count alone let repeated 4 MB bodies grow the heap without bound.
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
  private readonly items: Exchange[] = [];
  /** JSON length of each item, in the same order. */
  private readonly sizes: number[] = [];
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
    this.maxInMemoryBytes = options.maxInMemoryBytes ?? 128 * 1024 * 1024;
    this.logger = options.logger ?? silentLogger();
    if (options.transcriptPath) this.openTranscript(options.transcriptPath);
  }

  record(exchange: Exchange): void {
    sanitize(exchange);
    const line = jsonLine(exchange);
    this.items.push(exchange);
    this.sizes.push(line.length);
    this.bytesInMemory += line.length;
    while (
      this.items.length > 1 &&
      (this.items.length > this.maxInMemory || this.bytesInMemory > this.maxInMemoryBytes)
    ) {
      this.items.shift();
      this.bytesInMemory -= this.sizes.shift()!;
      this.dropped++;
    }
    this.transcript?.write(`${line}\n`);
    // One consumer failing (a monitor stream, a scenario check) must neither skip the others nor fail the exchange.
    for (const listener of this.listeners('exchange')) {
      try {
        listener(exchange);
      } catch (e) {
        this.logger.error({ err: e, exchange: exchange.id }, 'an exchange listener failed');
      }
    }
  }

  all(): readonly Exchange[] {
    return this.items;
  }

  get(id: string): Exchange | undefined {
    return this.items.find((x) => x.id === id);
  }

  /** How many exchanges fell out of memory (still in the transcript). */
  droppedCount(): number {
    return this.dropped;
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

/** Redacts, caps and bounds one exchange in place (see Recorder). */
function sanitize(exchange: Exchange): void {
  sanitizeMessage(exchange.request);
  if (exchange.response) sanitizeMessage(exchange.response);
  if (exchange.transportError) exchange.transportError.message = redactText(exchange.transportError.message);
  capViolations(exchange);
}

function sanitizeMessage(message: HttpMessage): void {
  message.headers = redactHeaders(message.headers ?? {});
  if (message.url !== undefined) message.url = redactUrl(message.url);
  if (typeof message.body === 'object' && message.body !== null && valueTooDeep(message.body, MAX_JSON_DEPTH)) {
    message.body = `(body not kept: nested more than ${MAX_JSON_DEPTH} levels deep)`;
  }
}
