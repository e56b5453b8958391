import type { NextFunction, Request, Response, Router } from 'express';
import { isSimError, SimError } from '../../shared/errors.js';

/**
 * The small JSON-over-HTTP conventions of the simulator's control surfaces (/_sim, the reference partners' test
 * APIs): a handler returns the answer body or throws; a refused action is `{error:{code,message}}` with 400 (bad
 * input), 404 (no such thing) or 409 (the actor's state refuses it), never a stack trace.
 */

export type Handler = (req: Request) => unknown;

export function jsonRoute(
  router: Router,
): (method: 'get' | 'post' | 'put' | 'delete', path: string, handler: Handler) => void {
  return (method, path, handler) => {
    router[method](path, (req: Request, res: Response, next: NextFunction) => {
      Promise.resolve()
        .then(() => handler(req))
        .then((body) => res.json(body), next);
    });
  };
}

export function jsonErrors(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof NotFound)
    return void res.status(404).json({ error: { code: 'SIM_ACTION', message: err.message } });
  if (isSimError(err)) {
    // Malformed input is the caller's 400; a well-formed action the actor's state refuses is a 409 conflict.
    const status = err.code === 'SIM_INPUT' ? 400 : 409;
    return void res.status(status).json({
      error: {
        code: err.code,
        message: err.message,
        ...(err.fieldErrors.length ? { fieldErrors: err.fieldErrors } : {}),
      },
    });
  }
  const input = inputError(err);
  if (input) return void res.status(input.status).json({ error: { code: 'SIM_INPUT', message: input.message } });
  res.status(500).json({ error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } });
}

export class NotFound extends Error {}

/** What the control surfaces accept as a JSON body; larger bodies are refused with 413. */
export const BODY_LIMIT = '256kb';

/**
 * Errors express and its body parser raise for the request itself (a malformed percent-encoding in the path, a body
 * too large, not JSON, in an unknown charset): the caller's input, never an internal error.
 */
function inputError(err: unknown): { status: number; message: string } | undefined {
  const e = err as { type?: string; status?: unknown; message?: string };
  if (err instanceof URIError)
    return {
      status: 400,
      message: `the path has a malformed percent-encoding (${err.message}); write a literal % as %25`,
    };
  // The body parser inflates gzip/deflate bodies; one that does not inflate fails in zlib (Z_DATA_ERROR, Z_BUF_ERROR).
  const zlib = (err as { code?: unknown }).code;
  if (e.type === undefined && typeof zlib === 'string' && zlib.startsWith('Z_'))
    return {
      status: 400,
      message: `the request body does not decompress as its content-encoding says (${e.message ?? zlib}); send UTF-8 JSON without content-encoding`,
    };
  switch (e.type) {
    case 'entity.parse.failed':
      return { status: 400, message: 'the request body is not valid JSON' };
    case 'entity.too.large':
      return {
        status: 413,
        message: `the request body is over ${BODY_LIMIT.replace('kb', ' KB')}; control requests are small JSON objects`,
      };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return {
        status: 415,
        message: `${e.message ?? 'unsupported body encoding'}; send UTF-8 JSON without content-encoding`,
      };
    case undefined:
      break;
    default:
      // Every other error the body parser raises (aborted, size mismatch) is about the request as sent.
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
        return { status: e.status, message: e.message ?? 'the request could not be read' };
  }
  return undefined;
}

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
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new SimError('SIM_INPUT', `"${name}" must be a number ≥ 0`);
  return v;
}

/** The JSON body as an object ({} when there is none); an array or a bare value is the caller's 400. */
export function bodyObject(req: Request): Record<string, unknown> {
  const b = req.body as unknown;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw new SimError('SIM_INPUT', 'the JSON body must be an object');
  return b as Record<string, unknown>;
}

/** `page` (0-based) and `size` (1–2000) of a paged pull, as HBS takes them in the query string. */
export function paging(req: Request): { page?: number; size?: number } {
  const int = (name: string, min: number, max: number): number | undefined => {
    const v = bodyObject(req)[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new SimError('SIM_INPUT', `"${name}" must be a whole number from ${min} to ${max}`);
    return v;
  };
  const page = int('page', 0, 1_000_000);
  const size = int('size', 1, 2000);
  return { ...(page !== undefined ? { page } : {}), ...(size !== undefined ? { size } : {}) };
}
