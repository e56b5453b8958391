/**
 * One HTTP exchange that crossed the hub, in either direction. This is the unit the process monitor lists, the
 * scenario checks read, and the report embeds: it must stay plain JSON.
 */
export type ExchangeDirection = 'partner→hub' | 'hub→partner';

export interface HttpMessage {
  method?: string;
  url?: string;
  status?: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body was JSON, else the raw text (truncated for very large bodies). */
  body: unknown;
}

/**
 * The rule a violation breaks, named where HBS finds it, so judging it never depends on the wording of its message.
 * How much each weighs (MUST or SHOULD) and where the spec writes it: src/harness/scenario/violations.ts.
 */
export type ViolationRule =
  | 'schema'
  | 'unknown-property'
  | 'protocol'
  | 'within-aup'
  | 'pushes-sequential'
  | 'session-id-by-hbs'
  | 'progress-interval'
  | 'page-size'
  | 'charging-duration'
  | 'cdr-energy'
  | 'cdr-times'
  | 'cdr-evse'
  | 'stop-evse'
  | 'session-id-echo';

/** A rule the message broke: schema (with a JSON pointer), protocol behaviour, or Acceptable Use Policy. */
export interface Violation {
  kind: 'schema' | 'protocol' | 'aup' | 'unknown-property';
  /** The specific rule, where the finder names one; without it, the general rule of its kind. */
  rule?: ViolationRule;
  /** JSON pointer into the body, '' for the whole message. */
  pointer: string;
  message: string;
  /** 'request' or 'response' side of the exchange. */
  side: 'request' | 'response';
}

export interface Exchange {
  id: string;
  direction: ExchangeDirection;
  /** The OICP operation name (see src/oicp/operations.ts), or 'unknown' for an unmatched route. */
  operation: string;
  /** The partner on the other end of the hub (OperatorID/ProviderID), when known. */
  partnerId?: string;
  /** For a forwarded leg, the exchange that caused it. */
  causeId?: string;
  sessionId?: string;
  request: HttpMessage;
  response?: HttpMessage;
  /** The OICP StatusCode.Code of the answer, when it carried one. */
  statusCode?: string;
  startedAt: string;
  durationMs: number;
  /** The first MAX_RECORDED_VIOLATIONS rules the exchange broke (see violationTotal). */
  violations: Violation[];
  /** How many violations were found in all, when that is more than `violations` keeps. */
  violationTotal?: number;
  /** Set when no HTTP answer arrived: connection refused, TLS failure, timeout. */
  transportError?: { code: string; message: string };
}

/**
 * Violations kept per exchange. A body can break a rule once per array item (thousands of bad EvseIDs); the first
 * ones show what is wrong, the total says how often, and memory stays bounded whatever a partner sends.
 */
export const MAX_RECORDED_VIOLATIONS = 50;

/** Records a violation on the exchange: kept while under the cap, always counted in the total. */
export function addViolation(exchange: Exchange, violation: Violation): void {
  const total = (exchange.violationTotal ?? exchange.violations.length) + 1;
  if (exchange.violations.length < MAX_RECORDED_VIOLATIONS) exchange.violations.push(violation);
  if (total > exchange.violations.length) exchange.violationTotal = total;
}

/** Cuts the violation list to the cap, moving the count into violationTotal (for exchanges built elsewhere). */
export function capViolations(exchange: Exchange): void {
  const found = exchange.violations.length;
  if (found <= MAX_RECORDED_VIOLATIONS) return;
  exchange.violationTotal = Math.max(exchange.violationTotal ?? 0, found);
  exchange.violations.length = MAX_RECORDED_VIOLATIONS;
}

/** How many violations the exchange had in all (kept plus dropped). */
export function violationCount(exchange: Exchange): number {
  return exchange.violationTotal ?? exchange.violations.length;
}
