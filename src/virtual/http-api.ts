import type { NextFunction, Request, Response, Router } from 'express';
import { SimError, isSimError } from '../shared/errors.js';

/**
 * The small JSON-over-HTTP conventions of the simulator's control surfaces (/_sim, the reference partners' test
 * APIs): a handler returns the answer body or throws; a refused action is `{error:{code,message}}` with 400 (bad
 * input), 404 (no such thing) or 409 (the actor's state refuses it), never a stack trace.
 */

export type Handler = (req: Request) => unknown;

export function jsonRoute(router: Router): (method: 'get' | 'post' | 'put' | 'delete', path: string, handler: Handler) => void {
  return (method, path, handler) => {
    router[method](path, (req: Request, res: Response, next: NextFunction) => {
      Promise.resolve()
        .then(() => handler(req))
        .then((body) => res.json(body), next);
    });
  };
}

export function jsonErrors(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof NotFound) return void res.status(404).json({ error: { code: 'SIM_ACTION', message: err.message } });
  if (isSimError(err)) {
    // Malformed input is the caller's 400; a well-formed action the actor's state refuses is a 409 conflict.
    const status = err.code === 'SIM_INPUT' ? 400 : 409;
    return void res.status(status).json({ error: { code: err.code, message: err.message, ...(err.fieldErrors.length ? { fieldErrors: err.fieldErrors } : {}) } });
  }
  const parse = err as { type?: string; message?: string };
  if (parse.type === 'entity.parse.failed') return void res.status(400).json({ error: { code: 'SIM_INPUT', message: 'the request body is not valid JSON' } });
  res.status(500).json({ error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } });
}

export class NotFound extends Error {}

export function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

export function query(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function field(req: Request, name: string): string {
  const v = optionalField(req, name);
  if (v === undefined) throw new SimError('SIM_INPUT', `the JSON body needs "${name}"`);
  return v;
}

export function optionalField(req: Request, name: string): string | undefined {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw new SimError('SIM_INPUT', `"${name}" must be a non-empty string`);
  return v;
}

export function optionalNumber(req: Request, name: string): number | undefined {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new SimError('SIM_INPUT', `"${name}" must be a number ≥ 0`);
  return v;
}
