import { EventEmitter } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Exchange } from './exchange.js';

export interface RecorderEvents {
  exchange: [Exchange];
}

export interface RecorderOptions {
  /** Append every exchange as one JSON line to this file. */
  transcriptPath?: string;
  /** Keep at most this many exchanges in memory (oldest dropped first). */
  maxInMemory?: number;
}

/**
 * Keeps every exchange in memory (bounded), appends it to a JSONL transcript, and emits a typed `exchange` event for
 * live consumers (scenario engine, process monitor).
 */
export class Recorder extends EventEmitter<RecorderEvents> {
  private readonly items: Exchange[] = [];
  private readonly maxInMemory: number;
  private readonly transcript: WriteStream | undefined;
  private dropped = 0;

  constructor(options: RecorderOptions = {}) {
    super();
    this.maxInMemory = options.maxInMemory ?? 100_000;
    if (options.transcriptPath) {
      mkdirSync(dirname(options.transcriptPath), { recursive: true });
      this.transcript = createWriteStream(options.transcriptPath, { flags: 'a' });
    }
  }

  record(exchange: Exchange): void {
    this.items.push(exchange);
    if (this.items.length > this.maxInMemory) {
      this.items.shift();
      this.dropped++;
    }
    this.transcript?.write(`${JSON.stringify(exchange)}\n`);
    this.emit('exchange', exchange);
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

  async close(): Promise<void> {
    const t = this.transcript;
    if (!t) return;
    await new Promise<void>((resolve) => t.end(resolve));
  }
}
