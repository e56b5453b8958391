import type http from 'node:http';
import https from 'node:https';
import { post, type RawResponse } from '../../helpers/http.js';

/** A GET against the hub's monitor as a browser would make it: server certificate checked, no client certificate. */
export function get(url: string, ca: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return post(url, undefined, { method: 'GET', ca, headers, contentType: null });
}

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

export interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  comments: string[];
  /** Resolves with the first event (already received or future) that satisfies `pred`. */
  waitFor(pred: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  waitForComment(pred: (c: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
}

/** A minimal EventSource over node:https, parsing the wire format as the WHATWG spec describes it. */
export function openSse(url: string, ca: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: 'GET', ca, headers: { accept: 'text/event-stream', ...headers }, agent: false },
      (res) => {
        const events: SseEvent[] = [];
        const comments: string[] = [];
        const waiters = new Set<() => void>();
        let buffer = '';
        let endResolve: () => void = () => undefined;
        const ended = new Promise<void>((r) => (endResolve = r));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const e: SseEvent = { event: 'message', data: '' };
            const data: string[] = [];
            let isEvent = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              else if (line.startsWith('event: ')) {
                e.event = line.slice(7);
                isEvent = true;
              } else if (line.startsWith('id: ')) e.id = line.slice(4);
              else if (line.startsWith('data: ')) {
                data.push(line.slice(6));
                isEvent = true;
              }
            }
            e.data = data.join('\n');
            if (isEvent) events.push(e);
          }
          for (const w of [...waiters]) w();
        });
        res.on('end', () => endResolve());
        res.on('close', () => endResolve());
        const waitUntil = <T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
          new Promise((ok, fail) => {
            const check = (): void => {
              const found = find();
              if (found === undefined) return;
              waiters.delete(check);
              clearTimeout(timer);
              ok(found);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(
                new Error(
                  `SSE: no ${what} within ${timeoutMs} ms; got events ${JSON.stringify(events.map((e) => e.event))}`,
                ),
              );
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          comments,
          waitFor: (pred, timeoutMs = 5000) => waitUntil(() => events.find(pred), timeoutMs, 'matching event'),
          waitForComment: (pred, timeoutMs = 5000) =>
            waitUntil(() => comments.find(pred), timeoutMs, 'matching comment'),
          close: () => req.destroy(),
          ended,
        });
      },
    );
    req.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
    });
    req.end();
  });
}

/** Polls until `check` returns true (listener counts settle a tick after a socket closes). */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
