/**
 * Limits checked before any work is done on a request body: how deep its JSON nests, and how many items the arrays
 * the spec bounds may hold. Both run on every inbound body before the schema validator, which would otherwise spend
 * time and memory in proportion to whatever a partner sent (one error object per bad array item).
 */
import type { OperationId } from './operations.js';

export { jsonTooDeep, MAX_JSON_DEPTH, valueTooDeep } from '../shared/json-depth.js';

/** An array the spec bounds: where it is in the request body, how many items it may hold, and where that is written. */
export interface ArrayLimit {
  /** Property names from the root; the array is the last one. */
  path: readonly string[];
  max: number;
  source: string;
}

/**
 * The request arrays OICP 2.3 gives a maximum length. Every other array is bounded only by the body size limit. The
 * schemas carry the same bounds as maxItems, so a message built in code is checked the same way.
 */
export const ARRAY_LIMITS: Readonly<Partial<Record<OperationId, readonly ArrayLimit[]>>> = {
  // OICP 2.3 EMP 02, eRoamingPullEvseStatusById: at most 100 EvseIDs per request; Hubject's EMP OpenAPI
  // (schemas/eRoamingPullEVSEStatusByID.yaml) writes it as maxItems: 100.
  PullEvseStatusById: [{ path: ['EvseID'], max: 100, source: 'OICP 2.3 EMP 02, eRoamingPullEvseStatusById' }],
  // OICP 2.3 CPO 03, SignedMeteringValuesType: Start, Progress1…Progress8 and End, at most 10 per CDR; Hubject's CPO
  // OpenAPI (schemas/eRoamingChargeDetailRecord.yaml, SignedMeteringValues) says "maximum 10 metering signature values".
  ChargeDetailRecord: [
    { path: ['SignedMeteringValues'], max: 10, source: 'OICP 2.3 CPO 03, SignedMeteringValuesType' },
  ],
};

export interface LimitBreach {
  pointer: string;
  message: string;
}

/** The bounded arrays of `body` that hold too many items; empty when the body keeps every limit. */
export function arrayLimitBreaches(operation: OperationId, body: unknown): LimitBreach[] {
  const out: LimitBreach[] = [];
  for (const limit of ARRAY_LIMITS[operation] ?? []) {
    let at: unknown = body;
    for (const name of limit.path)
      at =
        typeof at === 'object' && at !== null && !Array.isArray(at) ? (at as Record<string, unknown>)[name] : undefined;
    if (Array.isArray(at) && at.length > limit.max) {
      const name = limit.path.at(-1)!;
      out.push({
        pointer: `/${limit.path.join('/')}`,
        message: `must have at most ${limit.max} items, got ${at.length} (${limit.source}); send the ${name} list in parts of ${limit.max}`,
      });
    }
  }
  return out;
}
