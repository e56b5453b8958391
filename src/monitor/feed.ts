import type { ForwardStatus, HubPort } from '../hub/port.js';
import type { Exchange } from '../shared/exchange.js';
import { newestSeq } from './rows.js';

export type FeedEvent =
  | { kind: 'exchange'; exchange: Exchange; seq: number }
  /** A stored CDR's forward status changed (the CDR's own exchange was recorded before the forward finished). */
  | { kind: 'cdr'; SessionID: string; forwardStatus: ForwardStatus; forwardInfo: string | null }
  /** EVSE data or status was pushed: the EVSE state panel is stale. */
  | { kind: 'evse' };

export interface FeedOptions {
  /** How often the stored CDRs' forward status is re-read while someone listens; default 500 ms. */
  cdrPollMs?: number;
}

const EVSE_PUSHES = new Set(['PushEvseData', 'PushEvseStatus']);

/**
 * Fans the recorder's events out to live streams. It attaches to the recorder and polls the CDR store only while at
 * least one stream listens, so a monitor nobody watches costs nothing and a closed browser tab leaks no listener.
 */
export class LiveFeed {
  private readonly listeners = new Set<(e: FeedEvent) => void>();
  private readonly lastForward = new Map<string, ForwardStatus>();
  private poll: NodeJS.Timeout | undefined;
  private readonly cdrPollMs: number;

  constructor(
    private readonly hub: HubPort,
    options: FeedOptions = {},
  ) {
    this.cdrPollMs = options.cdrPollMs ?? 500;
  }

  subscribe(listener: (e: FeedEvent) => void): () => void {
    if (this.listeners.size === 0) this.start();
    this.listeners.add(listener);
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) this.stop();
    };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  private readonly onExchange = (exchange: Exchange): void => {
    const { recorder } = this.hub;
    // record() emits right after appending, so the exchange is the newest one.
    this.emit({ kind: 'exchange', exchange, seq: newestSeq(recorder) });
    if (exchange.direction === 'partner→hub' && EVSE_PUSHES.has(exchange.operation)) this.emit({ kind: 'evse' });
    // The hub sets the forward status a few microtasks after recording the forwarded leg; look once they ran.
    if (exchange.operation === 'ChargeDetailRecord') setImmediate(() => this.checkCdrs());
  };

  private start(): void {
    // What listeners were last told survives a gap without listeners (a browser's EventSource reconnecting): a
    // forward status that changed meanwhile is announced to the new listener below, not silently taken as known.
    const seen = this.lastForward.size > 0;
    for (const c of this.hub.state.cdrs.all())
      if (!seen && !this.lastForward.has(c.cdr.SessionID)) this.lastForward.set(c.cdr.SessionID, c.forwardStatus);
    this.hub.recorder.on('exchange', this.onExchange);
    this.poll = setInterval(() => this.checkCdrs(), this.cdrPollMs);
    this.poll.unref();
    setImmediate(() => this.checkCdrs());
  }

  private stop(): void {
    this.hub.recorder.off('exchange', this.onExchange);
    clearInterval(this.poll);
    this.poll = undefined;
  }

  private checkCdrs(): void {
    if (this.listeners.size === 0) return;
    for (const c of this.hub.state.cdrs.all()) {
      const id = c.cdr.SessionID;
      const before = this.lastForward.get(id);
      if (before === c.forwardStatus) continue;
      this.lastForward.set(id, c.forwardStatus);
      // A CDR first seen while still PENDING is already shown as such by its own exchange row.
      if (before === undefined && c.forwardStatus === 'PENDING') continue;
      this.emit({ kind: 'cdr', SessionID: id, forwardStatus: c.forwardStatus, forwardInfo: c.forwardInfo ?? null });
    }
  }

  private emit(event: FeedEvent): void {
    for (const l of [...this.listeners]) l(event);
  }
}
