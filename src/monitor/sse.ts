import type { Request, Response } from 'express';
import type { HubPort } from '../hub/port.js';
import type { Exchange } from '../shared/exchange.js';
import type { FeedEvent, LiveFeed } from './feed.js';
import { matcher } from './match.js';
import type { ExchangeFilter } from './query.js';
import { type CdrLookup, toRow } from './rows.js';

export interface StreamOptions {
  /** Comment lines that keep proxies and idle timeouts from closing a quiet stream; default 15 000 ms. */
  heartbeatMs: number;
  /** EventSource's reconnect delay, sent as `retry:`; default 2 000 ms. */
  retryMs: number;
  /** A client this far behind is cut off; it reconnects and resumes from Last-Event-ID. */
  maxBufferedBytes: number;
}

export interface StreamRequest {
  hub: HubPort;
  feed: LiveFeed;
  filter: ExchangeFilter;
  /** Replay matching exchanges with a seq above this first; undefined = from now on. */
  resumeAfter: number | undefined;
  cdrOf: CdrLookup;
  options: StreamOptions;
}

/**
 * Server-sent events: `exchange` (id = seq, data = MonitorRow) for every new exchange matching the filter, `cdr`
 * when a stored CDR's forward status changes, `evse` when EVSE data or status was pushed. Only `exchange` events
 * carry an id, so EventSource's Last-Event-ID always names the last row the client got and a reconnect resumes
 * exactly after it.
 */
export function openStream(req: Request, res: Response, s: StreamRequest): void {
  const stream = beginEventStream(req, res, s.options, () => s.hub.clock.now());
  const keep = matcher(s.filter, s.cdrOf);
  const sendExchange = (exchange: Exchange, seq: number): void => {
    if (keep(exchange))
      stream.send(`event: exchange\nid: ${seq}\ndata: ${JSON.stringify(toRow(exchange, seq, s.cdrOf))}\n\n`);
  };
  // Replay and subscribe in the same tick: nothing can be recorded in between, so nothing is missed or doubled.
  if (s.resumeAfter !== undefined) {
    const missed = s.hub.recorder.since(s.resumeAfter);
    const first = Math.max(s.resumeAfter, s.hub.recorder.droppedCount()) + 1;
    for (let i = 0; i < missed.length && !stream.ended(); i++) sendExchange(missed[i]!, first + i);
  }
  const unsubscribe = s.feed.subscribe((e: FeedEvent) => {
    if (stream.ended()) return;
    if (e.kind === 'exchange') sendExchange(e.exchange, e.seq);
    else if (e.kind === 'cdr')
      stream.send(
        `event: cdr\ndata: ${JSON.stringify({ SessionID: e.SessionID, forwardStatus: e.forwardStatus, forwardInfo: e.forwardInfo })}\n\n`,
      );
    else stream.send('event: evse\ndata: {}\n\n');
  });
  stream.onClose(unsubscribe);
}

/** An open text/event-stream answer, as every monitor stream (exchanges, OCPP frames) runs it. */
export interface EventStream {
  /** Writes event text; a client more than maxBufferedBytes behind is cut off, to reconnect and resume. */
  send(text: string): void;
  /** Whether the answer ended: the client left or fell too far behind. */
  ended(): boolean;
  /** Runs `cleanup` once the client is gone, at once when it already is. */
  onClose(cleanup: () => void): void;
}

/** Starts the answer: headers, the reconnect delay, heartbeats until the client goes. */
export function beginEventStream(req: Request, res: Response, options: StreamOptions, now: () => Date): EventStream {
  res.status(200).set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const send = (text: string): void => {
    res.write(text);
    if (res.writableLength > options.maxBufferedBytes) res.end();
  };
  send(`retry: ${options.retryMs}\n: connected\n\n`);
  const heartbeat = setInterval(() => send(`: heartbeat ${now().toISOString()}\n\n`), options.heartbeatMs);
  const cleanups: Array<() => void> = [];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const cleanup of cleanups) cleanup();
  };
  res.once('close', close);
  req.once('close', close);
  return {
    send,
    ended: () => res.writableEnded,
    onClose: (cleanup) => {
      if (closed) return cleanup();
      cleanups.push(cleanup);
      // A replay that overran the buffer ended the answer before anyone subscribed: let go at once.
      if (res.writableEnded) close();
    },
  };
}
