import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Partner } from '../config/world/types.js';
import { readBody } from '../net/read-body.js';
import { ack, negativeAnswer } from '../oicp/answers.js';
import { arrayLimitBreaches, jsonTooDeep, MAX_JSON_DEPTH } from '../oicp/limits.js';
import type { RequestOf } from '../oicp/messages.js';
import type { OperationId } from '../oicp/operations.js';
import { OPERATIONS } from '../oicp/operations.js';
import { readStatusCode, type StatusCodeValue } from '../oicp/status-codes.js';
import { checkRequest, validateMessage } from '../oicp/validate.js';
import { isoNow } from '../shared/clock.js';
import { messageOf } from '../shared/errors.js';
import { addViolation, type Exchange, type Violation } from '../shared/exchange.js';
import { copyWith } from '../shared/own-properties.js';
import type { AupGuard } from './aup.js';
import { chainAllows } from './client-trust.js';
import type { Handler, HandlerResult, HandlerTable, HubContext, OperationRequest } from './context.js';
import { claimedIds, mismatch, peerIdentity } from './identify.js';
import type { RouteTable } from './routes.js';

export interface PipelineDeps {
  hub: HubContext;
  routes: RouteTable;
  aup: AupGuard;
  handlers: HandlerTable;
}

/**
 * One inbound OICP request, start to finish: route → method → content type → body within the size limit → JSON
 * nesting depth → JSON → identity (client certificate) → AUP → sender IDs (017) → array limits and schema (022) →
 * handler → response check → recorded Exchange. Every refusal, and an internal failure too, is answered in the
 * operation's own response shape (known from the path before the body is read) with the HTTP status and StatusCode
 * HBS gives; nothing a client sends escapes as an unshaped 500 or takes the process down.
 * @see README.md "How the hub behaves"
 */
export async function handleOicpRequest(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { hub, routes } = deps;
  const started = hub.clock.monotonicMs();
  const exchange: Exchange = {
    id: hub.ids.exchangeId(),
    direction: 'partner→hub',
    operation: 'unknown',
    startedAt: isoNow(hub.clock),
    durationMs: 0,
    request: { method: req.method ?? 'GET', url: req.url ?? '/', headers: headersOf(req), body: undefined },
    violations: [],
    // Set once known, but declared here: fields added to an object after it is made go to a separate backing store
    // (one more object per kept exchange for the collector to copy and mark). Undefined is left out of its JSON.
    partnerId: undefined,
    sessionId: undefined,
    response: undefined,
    statusCode: undefined,
  };
  // The operation whose answer shape refusals take: the path's until the body says which form (PullEvseStatus).
  let shape: OperationId | undefined;
  // Size of the body as received, once it is read: the recorder's budget counts it without serializing it again.
  let requestBytes: number | undefined;
  let replied = false;
  // A push's window for the sequential-push rule closes when HBS answers it: a partner that has its answer may send
  // the next push at once, on another connection, before Node reports this response closed.
  let pushAnswered = (): void => {};
  const reply = (status: number, body: unknown, extraHeaders: Record<string, string> = {}): void => {
    replied = true;
    let text: string;
    try {
      text = JSON.stringify(body);
    } catch (e) {
      hub.logger.error({ err: e, exchange: exchange.id }, 'hub answer could not be serialized');
      status = 500;
      body = refusal(
        shape,
        '001',
        `HBS simulator internal error: the answer could not be serialized (${messageOf(e)})`,
      );
      text = JSON.stringify(body);
    }
    for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
    exchange.response = { status, headers: { 'content-type': 'application/json', ...extraHeaders }, body };
    exchange.statusCode = readStatusCode(body);
    exchange.durationMs = Math.round((hub.clock.monotonicMs() - started) * 1000) / 1000;
    try {
      hub.recorder.record(exchange, { request: requestBytes, response: text.length });
    } catch (e) {
      // The partner still gets its answer; a recording failure is the simulator's problem, not the request's.
      hub.logger.error({ err: e, exchange: exchange.id }, 'recording the exchange failed');
    }
    pushAnswered();
    // Written straight to Node's response: express's send() would hash every answer for an ETag nobody asks of
    // a POST (13 ms for a 2000-record page) and walk its own headers; OICP answers are never cached.
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
  const flag = (v: Omit<Violation, 'side'>): void => addViolation(exchange, copyWith(v, { side: 'request' as const }));
  const refuse = (status: number, code: StatusCodeValue, info: string, headers?: Record<string, string>): void => {
    flag({ kind: 'protocol', pointer: '', message: info });
    reply(status, refusal(shape, code, info), headers);
  };

  try {
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const matched = routes.match(url.pathname);
    if (!matched) {
      const hint = routes.closest(url.pathname);
      refuse(
        404,
        '022',
        `no OICP 2.3 operation at ${req.method} ${url.pathname}${hint ? `; did you mean ${hint}?` : ''}`,
      );
      return;
    }
    shape = matched.route.operation;
    exchange.operation = shape;
    if (req.method !== 'POST') {
      refuse(405, '022', `OICP operations use POST, got ${req.method}`, { allow: 'POST' });
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(contentType)) {
      refuse(415, '022', `Content-Type must be application/json, got "${contentType || 'none'}"`);
      return;
    }
    // A push counts as in flight from its arrival until its answer is sent: that is the window in which a second
    // push of the same operation breaks the "sequential" rule.
    const pushOperation = matched.route.operation;
    const pusher = matched.pathIds.operatorID ?? matched.pathIds.providerID ?? '';
    const push = deps.aup.beginPush(pusher, pushOperation);
    pushAnswered = push.end;
    res.once('close', push.end);
    const limit = hub.settings.bodyLimitBytes;
    const received = await readBody(req, { limit, drainBytes: limit * DRAIN_FACTOR, drainMs: DRAIN_MS });
    const raw = received.buf;
    // Decoded once: the text is the recorded body until it parses, and what JSON.parse reads.
    const requestText = raw.length > MAX_PREVIEW_BYTES ? undefined : raw.toString('utf8');
    if (raw.length > 0) exchange.request.body = requestText ?? previewText(raw);
    if (push.parallel) {
      flag({
        kind: 'aup',
        rule: 'pushes-sequential',
        pointer: '',
        message: `${pushOperation} sent while a previous ${pushOperation} from ${pusher} was still unanswered; pushes must be sequential`,
      });
    }
    await push.processed;
    if (received.tooLarge) {
      res.setHeader('connection', 'close');
      refuse(
        413,
        '022',
        `request body of at least ${received.bytes} bytes is over the hub's limit of ${limit} bytes; send less per request (split pushes into several)`,
      );
      return;
    }
    if (received.aborted) {
      refuse(400, '022', `the connection closed after ${raw.length} bytes, before the request body ended`);
      return;
    }
    // Checked on the bytes, before parsing: a few kilobytes of brackets would otherwise become a tree that
    // serializers and validators cannot walk.
    if (jsonTooDeep(raw, MAX_JSON_DEPTH)) {
      refuse(
        400,
        '022',
        `request body is nested more than ${MAX_JSON_DEPTH} levels deep; OICP 2.3 messages nest at most 8 levels, so remove the extra nesting`,
      );
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(requestText ?? raw.toString('utf8'));
    } catch (e) {
      refuse(400, '022', `request body is not valid JSON: ${messageOf(e)}`);
      return;
    }
    exchange.request.body = body;
    requestBytes = raw.length;
    const operation = matched.route.resolve(body);
    exchange.operation = operation;
    shape = operation;

    const sender = identify(deps, req, operation, matched.pathIds, body);
    if (!sender.ok) {
      exchange.partnerId = sender.claimed;
      refuse(sender.httpStatus, sender.code, sender.reason);
      return;
    }
    const partner = sender.partner;
    exchange.partnerId = partner.id;

    const admitted = deps.aup.admit(partner.id, operation);
    if (!admitted.ok) {
      const seconds = Math.ceil(admitted.retryAfterMs / 1000);
      // A refusal a scenario forced (to see the partner back off) is not the partner's violation.
      if (!admitted.forced)
        flag({ kind: 'aup', pointer: '', message: `over the AUP limit of ${admitted.limit} ${operation}/min` });
      const why = admitted.forced ? 'HBS is busy' : `at most ${admitted.limit} ${operation} calls per minute`;
      reply(
        429,
        negativeAnswer(operation, '021', `Acceptable Use Policy: ${why}; retry after ${seconds} s with backoff`),
        { 'retry-after': String(seconds) },
      );
      return;
    }

    // Arrays the spec bounds are counted before the validator runs: it would report (and allocate for) every item.
    const breaches = arrayLimitBreaches(operation, body);
    if (breaches.length > 0) {
      for (const b of breaches) flag({ kind: 'schema', pointer: b.pointer, message: b.message });
      const listed = breaches.map((b) => `${b.pointer}: ${b.message}`).join('; ');
      reply(400, negativeAnswer(operation, '022', truncate(listed, 1000)));
      return;
    }
    const checked = checkRequest(operation, body);
    for (const v of checked.violations)
      flag({ kind: v.severity === 'warning' ? 'unknown-property' : 'schema', pointer: v.pointer, message: v.message });
    if (!checked.request) {
      const errors = checked.violations.filter((v) => v.severity === 'error');
      const listed = errors
        .slice(0, 10)
        .map((v) => `${v.pointer || '/'}: ${v.message}`)
        .join('; ');
      reply(400, negativeAnswer(operation, '022', truncate(`${errors.length} schema violation(s): ${listed}`, 1000)));
      return;
    }

    const request = operationRequest(deps, operation, partner, checked.request, url, matched.pathIds, exchange);
    const result = await handle(deps.handlers, request);
    if (result.sessionId) exchange.sessionId = result.sessionId;
    for (const v of validateMessage(operation, 'response', result.body)) {
      // The hub's own answer broke the model: a bug in hbs-sim, shown rather than hidden.
      addViolation(exchange, {
        kind: 'schema',
        pointer: v.pointer,
        message: `hub answer: ${v.message}`,
        side: 'response',
      });
    }
    reply(result.httpStatus ?? 200, result.body);
  } catch (e) {
    hub.logger.error({ err: e, operation: exchange.operation, exchange: exchange.id }, 'hub pipeline failed');
    if (!replied && !res.headersSent) {
      reply(500, refusal(shape, '001', `HBS simulator internal error: ${messageOf(e)}`));
    }
  }
}

/** An over-limit body is drained up to this many times the limit before the 413 (see readBody). */
const DRAIN_FACTOR = 4;
/** …and for at most this long, so a slow sender cannot hold the answer back. */
const DRAIN_MS = 5_000;

/** The refusal in the operation's own answer shape; a plain acknowledgement when no operation is known (404). */
function refusal(operation: OperationId | undefined, code: StatusCodeValue, info: string): unknown {
  return operation ? negativeAnswer(operation, code, info) : ack(false, code, info);
}

type Identified =
  | { ok: true; partner: Partner }
  | { ok: false; httpStatus: number; code: '017' | '300'; reason: string; claimed?: string };

/** The sender: its certificate's partner (mTLS) or the ID it claims (plain HTTP), checked against every claimed ID. */
function identify(
  deps: PipelineDeps,
  req: IncomingMessage,
  operation: OperationId,
  pathIds: { operatorID?: string; providerID?: string },
  body: unknown,
): Identified {
  const { hub } = deps;
  const claims = claimedIds(operation, pathIds, body);
  let certId: string;
  let issuers: string[] | undefined;
  if (hub.settings.transport === 'mtls') {
    const peer = peerIdentity(req);
    if (!peer.ok) return { ok: false, httpStatus: 403, code: '017', reason: peer.reason, claimed: claims[0]?.value };
    certId = peer.id;
    issuers = peer.issuers;
  } else {
    const first = claims[0];
    if (!first)
      return {
        ok: false,
        httpStatus: 200,
        code: '300',
        reason: 'plain-HTTP mode: the request names no OperatorID/ProviderID',
      };
    certId = first.value;
  }
  const partner = hub.directory.byCertificateId(certId);
  if (!partner)
    return {
      ok: false,
      httpStatus: 200,
      code: '300',
      reason: `partner ${certId} is not known to this hub (simulator/partners/)`,
      claimed: certId,
    };
  if (issuers && hub.clientTrust) {
    const allowed = chainAllows(hub.clientTrust, issuers, partner);
    if (!allowed.ok) return { ok: false, httpStatus: 403, code: '017', reason: allowed.reason, claimed: certId };
  }
  if (partner.locked)
    return { ok: false, httpStatus: 200, code: '017', reason: `partner ${partner.id} is locked`, claimed: certId };
  if (partner.role !== OPERATIONS[operation].sender) {
    return {
      ok: false,
      httpStatus: 200,
      code: '017',
      reason: `${operation} is sent by a ${OPERATIONS[operation].sender}; ${partner.id} is a ${partner.role}`,
      claimed: certId,
    };
  }
  const wrong = mismatch(claims, partner.id);
  if (wrong) {
    return {
      ok: false,
      httpStatus: 200,
      code: '017',
      reason: `${wrong.where} says ${wrong.value} but the client certificate is ${partner.id}`,
      claimed: certId,
    };
  }
  return { ok: true, partner };
}

/** The operation's own handler: indexing the total table by O gives Handler<O>, so request and handler agree. */
function handle<O extends OperationId>(
  handlers: HandlerTable,
  request: OperationRequest<O>,
): Promise<HandlerResult<O>> {
  const handler: Handler<O> = handlers[request.operation];
  return handler(request);
}

function operationRequest<O extends OperationId>(
  deps: PipelineDeps,
  operation: O,
  partner: Partner,
  body: RequestOf<O>,
  url: URL,
  pathIds: { operatorID?: string; providerID?: string },
  exchange: Exchange,
): OperationRequest<O> {
  return {
    operation,
    partner,
    body,
    query: url.searchParams,
    pathIds,
    exchange,
    hub: deps.hub,
    flag: (pointer, message, rule) =>
      addViolation(exchange, { kind: 'protocol', ...(rule ? { rule } : {}), pointer, message, side: 'request' }),
  };
}

/** The request's headers as sent; the recorder redacts credentials before anything keeps them. */
function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const headers = req.headers;
  for (const k in headers) {
    const v = headers[k];
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** A body kept as text (until it parses) is kept up to this many bytes. */
const MAX_PREVIEW_BYTES = 64 * 1024;

function previewText(raw: Buffer): string {
  return raw.length > MAX_PREVIEW_BYTES
    ? `${raw.subarray(0, MAX_PREVIEW_BYTES).toString('utf8')}… (${raw.length} bytes)`
    : raw.toString('utf8');
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
