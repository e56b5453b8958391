import type { Response } from 'express';

/** Errors of the monitor's JSON API: a value with a stable code and a message that names the fix. */
export interface ApiError {
  code: 'BAD_QUERY' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'INTERNAL';
  message: string;
}

const HTTP_STATUS: Readonly<Record<ApiError['code'], number>> = {
  BAD_QUERY: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  INTERNAL: 500,
};

export function sendError(res: Response, error: ApiError): void {
  res.status(HTTP_STATUS[error.code]).set('cache-control', 'no-store').json({ error });
}

/**
 * Express's own error page is HTML with a stack trace; the monitor answers every failure as an error value instead:
 * a URL Express cannot decode is the caller's (400), anything else a bug in the monitor (500, logged by the caller).
 */
export function errorAnswer(e: unknown): ApiError {
  const status = typeof e === 'object' && e !== null ? (e as { status?: unknown }).status : undefined;
  if (status === 400)
    return {
      code: 'BAD_QUERY',
      message: 'the URL is not valid (a malformed %-escape?); fix the link or parameter and load it again',
    };
  return {
    code: 'INTERNAL',
    message: `the monitor could not answer: ${e instanceof Error ? e.message : String(e)}; the OICP hub is unaffected`,
  };
}
