import { normalizePartnerId } from '../oicp/patterns.js';
import type { Exchange } from '../shared/exchange.js';
import { inCategory } from './categories.js';
import type { ExchangeFilter } from './query.js';
import { type CdrLookup, forwardStatusOf } from './rows.js';

// Recorded exchanges are not changed after recording, so their lower-cased search text is computed once; a WeakMap
// lets it go when the recorder drops the exchange.
const searchText = new WeakMap<Exchange, string>();

function textOf(x: Exchange): string {
  let t = searchText.get(x);
  if (t === undefined) {
    t = [
      x.id,
      x.operation,
      x.partnerId,
      x.sessionId,
      x.statusCode,
      x.request.url,
      x.transportError?.message,
      ...x.violations.map((v) => `${v.pointer} ${v.message}`),
      bodyText(x.request.body),
      bodyText(x.response?.body),
    ]
      .filter((s) => s !== undefined && s !== '')
      .join('\n')
      .toLowerCase();
    searchText.set(x, t);
  }
  return t;
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body);
  } catch {
    // The recorder keeps only serializable bodies; a search must not fail on one that slipped through anyway.
    return undefined;
  }
}

/** Builds the predicate once per query so the per-exchange work is plain comparisons. */
export function matcher(filter: ExchangeFilter, cdrOf: CdrLookup): (x: Exchange) => boolean {
  const partner = filter.partner === undefined ? undefined : normalizePartnerId(filter.partner);
  const session = filter.session?.toLowerCase();
  const q = filter.q?.toLowerCase();
  return (x) => {
    if (!inCategory(x, filter.category)) return false;
    if (filter.direction && x.direction !== filter.direction) return false;
    if (filter.operation && x.operation !== filter.operation) return false;
    if (partner !== undefined && (x.partnerId === undefined || normalizePartnerId(x.partnerId) !== partner))
      return false;
    if (session !== undefined && x.sessionId?.toLowerCase() !== session) return false;
    if (filter.statusCode && x.statusCode !== filter.statusCode) return false;
    if (filter.http !== undefined && (x.response?.status ?? 'none') !== filter.http) return false;
    if (filter.violations !== undefined && x.violations.length > 0 !== filter.violations) return false;
    if (filter.forward && forwardStatusOf(x, cdrOf) !== filter.forward) return false;
    if (q !== undefined && !textOf(x).includes(q)) return false;
    return true;
  };
}
