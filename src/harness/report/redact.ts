/**
 * Reports are attached to tickets and CI artifacts, so secrets never reach them: credentials in headers, in the
 * user-info part of a Service URL, and in token-like query parameters. Bodies are kept as recorded: they carry the
 * OICP data a developer needs, and the harness only sends test identifications.
 */
import type { Exchange, HttpMessage } from '../../shared/exchange.js';
import { redactHeaders, redactText, redactUrl } from '../../shared/redact.js';
import type { ReportExchange } from './model.js';

// One list of secrets for every place that records or shows exchanges: src/shared/redact.ts.
export { isSecretHeader, REDACTED, redactHeaders, redactText, redactUrl } from '../../shared/redact.js';

function redactMessage(message: HttpMessage): ReportExchange['request'] {
  return {
    ...(message.method === undefined ? {} : { method: message.method }),
    ...(message.url === undefined ? {} : { url: redactUrl(message.url) }),
    ...(message.status === undefined ? {} : { status: message.status }),
    headers: redactHeaders(message.headers),
    body: message.body,
  };
}

/**
 * The report's copy of a recorded exchange: field by field (so a field added to Exchange is a conscious decision
 * for the report too), secrets redacted, `undefined` fields left out so report.json is stable.
 */
export function redactExchange(exchange: Exchange): ReportExchange {
  const e = exchange;
  return {
    id: e.id,
    direction: e.direction,
    operation: e.operation,
    ...(e.partnerId === undefined ? {} : { partnerId: e.partnerId }),
    ...(e.causeId === undefined ? {} : { causeId: e.causeId }),
    ...(e.sessionId === undefined ? {} : { sessionId: e.sessionId }),
    request: redactMessage(e.request),
    ...(e.response === undefined ? {} : { response: redactMessage(e.response) }),
    ...(e.statusCode === undefined ? {} : { statusCode: e.statusCode }),
    startedAt: e.startedAt,
    durationMs: e.durationMs,
    violations: e.violations.map((v) => ({ kind: v.kind, pointer: v.pointer, message: v.message, side: v.side })),
    ...(e.violationTotal === undefined ? {} : { violationTotal: e.violationTotal }),
    ...(e.transportError === undefined
      ? {}
      : { transportError: { code: e.transportError.code, message: redactText(e.transportError.message) } }),
  };
}
