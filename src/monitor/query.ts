import type { ForwardStatus } from '../hub/port.js';
import { isOperationId } from '../oicp/operations.js';
import type { ExchangeDirection } from '../shared/exchange.js';
import type { ApiError } from './api-error.js';
import { CATEGORIES, type Category, isCategory } from './categories.js';
import { FORWARD_STATUSES } from './rows.js';

/** What the list, the CSV export and the live stream can be narrowed to; every field is optional but `category`. */
export interface ExchangeFilter {
  category: Category;
  direction?: ExchangeDirection;
  /** OperatorID/ProviderID, compared without separators (`DE*CPA` = `DECPA`). */
  partner?: string;
  operation?: string;
  session?: string;
  statusCode?: string;
  /** HTTP status, or 'none' for exchanges that got no HTTP answer. */
  http?: number | 'none';
  violations?: boolean;
  forward?: ForwardStatus;
  /** Free text, matched case-insensitively against ids, URL, violations and both bodies. */
  q?: string;
}

export interface PageRequest {
  limit: number;
  before?: number;
  after?: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const FILTER_PARAMS = [
  'category',
  'direction',
  'partner',
  'operation',
  'session',
  'statusCode',
  'http',
  'violations',
  'forward',
  'q',
] as const;
export const PAGE_PARAMS = ['limit', 'before', 'after'] as const;
export const LIMIT_DEFAULT = 100;
export const LIMIT_MAX = 1000;

const bad = (message: string): { ok: false; error: ApiError } => ({ ok: false, error: { code: 'BAD_QUERY', message } });

/** Refuses parameters the route does not know (a misspelt filter would otherwise silently show everything). */
export function checkParams(params: URLSearchParams, allowed: readonly string[]): ApiError | undefined {
  for (const name of new Set(params.keys())) {
    if (!allowed.includes(name)) {
      return {
        code: 'BAD_QUERY',
        message: `unknown query parameter "${name}"; this route takes ${allowed.length ? allowed.join(', ') : 'no parameters'}`,
      };
    }
    if (params.getAll(name).length > 1)
      return { code: 'BAD_QUERY', message: `query parameter "${name}" is given more than once; give it once` };
  }
  return undefined;
}

export function parseFilter(params: URLSearchParams): Parsed<ExchangeFilter> {
  const get = (name: string): string | undefined => {
    const v = params.get(name)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const filter: ExchangeFilter = { category: 'all' };
  const category = get('category');
  if (category !== undefined) {
    if (!isCategory(category)) return bad(`category must be one of ${CATEGORIES.join(', ')}; got "${category}"`);
    filter.category = category;
  }
  const direction = get('direction');
  if (direction !== undefined) {
    const d = DIRECTIONS[direction];
    if (!d) return bad(`direction must be "in" (partner→hub) or "out" (hub→partner); got "${direction}"`);
    filter.direction = d;
  }
  const operation = get('operation');
  if (operation !== undefined) {
    if (!isOperationId(operation) && operation !== 'unknown')
      return bad(
        `operation must be an OICP operation name such as AuthorizeRemoteStart (see GET /monitor/api/meta), or "unknown"; got "${operation}"`,
      );
    filter.operation = operation;
  }
  const statusCode = get('statusCode');
  if (statusCode !== undefined) {
    if (!/^\d{3}$/.test(statusCode))
      return bad(`statusCode must be a three-digit OICP StatusCode such as 000 or 603; got "${statusCode}"`);
    filter.statusCode = statusCode;
  }
  const http = get('http');
  if (http !== undefined) {
    if (http !== 'none' && !/^[1-5]\d\d$/.test(http))
      return bad(
        `http must be an HTTP status from 100 to 599, or "none" for exchanges without an answer; got "${http}"`,
      );
    filter.http = http === 'none' ? 'none' : Number(http);
  }
  const violations = get('violations');
  if (violations !== undefined) {
    if (violations !== 'true' && violations !== 'false')
      return bad(
        `violations must be "true" (only exchanges with violations) or "false" (only clean ones); got "${violations}"`,
      );
    filter.violations = violations === 'true';
  }
  const forward = get('forward');
  if (forward !== undefined) {
    if (!(FORWARD_STATUSES as readonly string[]).includes(forward))
      return bad(`forward must be one of ${FORWARD_STATUSES.join(', ')}; got "${forward}"`);
    filter.forward = forward as ForwardStatus;
  }
  for (const [name, max] of [
    ['partner', 64],
    ['session', 128],
    ['q', 200],
  ] as const) {
    const v = get(name);
    if (v === undefined) continue;
    if (v.length > max) return bad(`${name} is longer than ${max} characters`);
    filter[name] = v;
  }
  return { ok: true, value: filter };
}

export function parsePage(params: URLSearchParams): Parsed<PageRequest> {
  const page: PageRequest = { limit: LIMIT_DEFAULT };
  const limit = params.get('limit');
  if (limit !== null) {
    const n = positiveInt(limit);
    if (n === undefined || n > LIMIT_MAX) return bad(`limit must be an integer from 1 to ${LIMIT_MAX}; got "${limit}"`);
    page.limit = n;
  }
  for (const name of ['before', 'after'] as const) {
    const raw = params.get(name);
    if (raw === null) continue;
    const n = raw === '0' ? 0 : positiveInt(raw);
    if (n === undefined)
      return bad(`${name} must be a seq number from a previous answer (an integer ≥ 0); got "${raw}"`);
    page[name] = n;
  }
  if (page.before !== undefined && page.after !== undefined)
    return bad('give either before (older page) or after (newer page), not both');
  return { ok: true, value: page };
}

/** The stream's resume point: the query's `after`, overridden by EventSource's Last-Event-ID when it reconnects. */
export function parseResume(params: URLSearchParams, lastEventId: string | undefined): Parsed<number | undefined> {
  const raw = lastEventId?.trim() || params.get('after');
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: undefined };
  const n = raw === '0' ? 0 : positiveInt(raw);
  if (n === undefined) return bad(`after / Last-Event-ID must be a seq number (an integer ≥ 0); got "${raw}"`);
  return { ok: true, value: n };
}

const DIRECTIONS: Readonly<Record<string, ExchangeDirection>> = {
  in: 'partner→hub',
  out: 'hub→partner',
  'partner→hub': 'partner→hub',
  'hub→partner': 'hub→partner',
};

function positiveInt(raw: string): number | undefined {
  if (!/^[1-9]\d{0,14}$/.test(raw)) return undefined;
  return Number(raw);
}
