import type { Exchange } from '../../shared/exchange.js';
import { valueAt as at } from '../../shared/json-pointer.js';

/**
 * What the partner did send when an await timed out. "none arrived" is wrong, and sends its developer looking at
 * the wrong end, when the partner did send the operation and HBS refused it (a CDR with a SessionID HBS never
 * issued) or when what it sent did not match (another SessionID, another Type). Pure: the engine hands over the
 * partner's exchanges of the awaited operation that the item recorded and no earlier await took.
 */

/** An answer HBS gave that is not an acceptance: an HTTP error, or a StatusCode other than 000. */
function refusal(x: Exchange): string | undefined {
  const r = x.response;
  if (!r) return x.transportError ? `no answer: ${x.transportError.message}` : undefined;
  const code = at(r.body, '/StatusCode/Code');
  if (r.status === 200 && (code === undefined || code === '000')) return undefined;
  const info = [at(r.body, '/StatusCode/Description'), at(r.body, '/StatusCode/AdditionalInfo')].filter(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  const parts = [
    ...(r.status === 200 ? [] : [`HTTP ${r.status}`]),
    ...(code === undefined ? [] : [`StatusCode ${String(code)}${info.length > 0 ? `: ${info.join('; ')}` : ''}`]),
  ];
  return parts.join(', ') || `HTTP ${r.status}`;
}

/** `with SessionID …` (the ID a partner developer finds the request by in its logs), else nothing. */
function naming(x: Exchange, pointers: readonly string[]): string {
  const shown = [...new Set(['/SessionID', ...pointers])]
    .map((p) => [p, at(x.request.body, p)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([p, v]) => `${p.replace(/^\//, '')} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return shown.length > 0 ? ` with ${shown.join(', ')}` : '';
}

/**
 * The await's actual value: "none arrived", or what did. `sentByPartner` is false for a leg HBS forwards to the
 * partner (HBS cannot refuse its own request); `matchPointers` are the fields the await matched on.
 */
export function whatArrived(
  operation: string,
  arrived: readonly Exchange[],
  matchPointers: readonly string[],
  sentByPartner: boolean,
): string {
  if (arrived.length === 0) return 'none arrived';
  const refused = sentByPartner ? arrived.filter((x) => refusal(x) !== undefined) : [];
  const first = refused[0];
  if (first) {
    const more = refused.length > 1 ? ` (and ${refused.length - 1} more ${operation} HBS refused)` : '';
    return `a ${operation} arrived${naming(first, matchPointers)}, which HBS refused (${refusal(first)})${more}`;
  }
  const last = arrived.at(-1)!;
  const n = arrived.length;
  return `${n === 1 ? `a ${operation}` : `${n} ${operation}`} arrived but did not match: the last${naming(last, matchPointers)}`;
}
