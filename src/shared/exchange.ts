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

/** A rule the message broke: schema (with a JSON pointer), protocol behaviour, or Acceptable Use Policy. */
export interface Violation {
  kind: 'schema' | 'protocol' | 'aup' | 'unknown-property';
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
  violations: Violation[];
  /** Set when no HTTP answer arrived: connection refused, TLS failure, timeout. */
  transportError?: { code: string; message: string };
}
