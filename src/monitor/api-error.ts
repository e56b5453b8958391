import type { Response } from 'express';

/** Errors of the monitor's JSON API: a value with a stable code and a message that names the fix. */
export interface ApiError {
  code: 'BAD_QUERY' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED';
  message: string;
}

const HTTP_STATUS: Readonly<Record<ApiError['code'], number>> = { BAD_QUERY: 400, NOT_FOUND: 404, METHOD_NOT_ALLOWED: 405 };

export function sendError(res: Response, error: ApiError): void {
  res.status(HTTP_STATUS[error.code]).set('cache-control', 'no-store').json({ error });
}
