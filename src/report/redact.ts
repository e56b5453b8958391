/**
 * Reports are attached to tickets and CI artifacts, so secrets never reach them: credentials in headers, in the
 * user-info part of a Service URL, and in token-like query parameters. Bodies are kept as recorded: they carry the
 * OICP data a developer needs, and the harness only sends test identifications.
 */
import type { Exchange, HttpMessage } from '../shared/exchange.js';
import type { ReportExchange } from './model.js';

export const REDACTED = '[REDACTED]';

/** Header names that carry credentials by definition, plus any name that says secret, token, key or password. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key)$|secret|token|passw(or)?d|api[-_]?key|credential|signature|private/i;
/** A value that is a credential whatever the header is called. */
const SECRET_VALUE = /^\s*(bearer|basic|digest|negotiate|token)\s+\S/i;
/** Query parameters that carry credentials (`?token=…`, `&api_key=…`, `access_token`, `sig`, …). */
const SECRET_PARAM = /^(.*token|.*secret|.*passw(or)?d|pwd|api[-_]?key|apikey|key|sig|signature|auth|code|credentials?)$/i;

export function isSecretHeader(name: string, value: string): boolean {
  return SECRET_HEADER.test(name) || SECRET_VALUE.test(value);
}

/** Headers with every secret value replaced by [REDACTED]; names and order kept. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, isSecretHeader(name, value) ? REDACTED : value]),
  );
}

/**
 * A URL with `user:password@` and secret query values replaced. Works on the text rather than through `new URL`
 * so that anything else (templates like `{operatorID}`, odd encodings) stays byte for byte as the partner wrote it.
 */
export function redactUrl(url: string): string {
  const withoutUserInfo = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, `$1${REDACTED}@`);
  return withoutUserInfo.replace(/([?&;])([^=&#;]+)=([^&#;]*)/g, (whole, sep: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // a malformed escape is not a secret name; keep the name as written
    }
    return SECRET_PARAM.test(decoded) ? `${sep}${name}=${REDACTED}` : whole;
  });
}

/** Every URL inside free text (error messages quote them) with its secrets redacted. */
export function redactText(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
}

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
    ...(e.transportError === undefined
      ? {}
      : { transportError: { code: e.transportError.code, message: redactText(e.transportError.message) } }),
  };
}
