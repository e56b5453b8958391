import type { Request, Response } from 'express';
import { sendError } from './api-error.js';
import { checkParams } from './query.js';

/** How every monitor route answers and reads its query: the JSON and OCPP routes alike. */

/** The query string, or undefined after answering 400 when it names a parameter the route does not take. */
export function queryOf(req: Request, res: Response, allowed: readonly string[]): URLSearchParams | undefined {
  const params = new URL(req.originalUrl, 'http://monitor.invalid').searchParams;
  const problem = checkParams(params, allowed);
  if (!problem) return params;
  sendError(res, problem);
  return undefined;
}

export function sendJson(res: Response, body: unknown): void {
  res
    .status(200)
    .set({ 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' })
    .send(jsonText(body));
}

/**
 * JSON of a monitor answer. Recorded exchanges are plain JSON by the time the recorder keeps them; should a value
 * that is not (a BigInt, a cycle) slip into one anyway, it is shown as text rather than failing the whole view.
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '(circular)';
        seen.add(v);
      }
      return v;
    });
  }
}
