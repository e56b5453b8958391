import type { Request, Response } from 'express';
import type { OperationId } from '../oicp/operations.js';
import { OPERATIONS } from '../oicp/operations.js';
import { validateMessage } from '../oicp/validate.js';
import { readStatusCode } from '../client/oicp-client.js';
import { messageOf } from '../shared/errors.js';
import type { Exchange, Violation } from '../shared/exchange.js';
import type { Partner } from '../world/types.js';
import { ack, negativeAnswer } from './answers.js';
import type { AupGuard } from './aup.js';
import type { HandlerTable, HubContext, OperationRequest } from './context.js';
import { claimedIds, mismatch, peerIdentity } from './identify.js';
import { readBody } from './read-body.js';
import type { RouteTable } from './routes.js';

export interface PipelineDeps {
  hub: HubContext;
  routes: RouteTable;
  aup: AupGuard;
  handlers: HandlerTable;
}

/**
 * One inbound OICP request, start to finish: route → content type → JSON → identity (client certificate) → AUP →
 * sender IDs (017) → schema (022) → handler → response check → recorded Exchange. Every refusal is an OICP-shaped
 * answer with the HTTP status and StatusCode HBS gives; nothing a client sends produces a 500.
 * @see README.md "How the hub answers bad input"
 */
export async function handleOicpRequest(deps: PipelineDeps, req: Request, res: Response): Promise<void> {
  const { hub, routes } = deps;
  const started = hub.clock.monotonicMs();
  const url = new URL(req.originalUrl, 'http://hub.invalid');
  const exchange: Exchange = {
    id: hub.ids.exchangeId(),
    direction: 'partner→hub',
    operation: 'unknown',
    startedAt: hub.clock.now().toISOString(),
    durationMs: 0,
    request: { method: req.method, url: req.originalUrl, headers: headersOf(req), body: undefined },
    violations: [],
  };
  const reply = (status: number, body: unknown, extraHeaders: Record<string, string> = {}): void => {
    for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
    exchange.response = { status, headers: { 'content-type': 'application/json', ...extraHeaders }, body };
    exchange.statusCode = readStatusCode(body);
    exchange.durationMs = Math.round((hub.clock.monotonicMs() - started) * 1000) / 1000;
    hub.recorder.record(exchange);
    res.status(status).json(body);
  };
  const refuse = (status: number, code: Parameters<typeof ack>[1], info: string, operation?: OperationId, headers?: Record<string, string>): void => {
    exchange.violations.push({ kind: 'protocol', pointer: '', side: 'request', message: info });
    reply(status, operation ? negativeAnswer(operation, code, info) : ack(false, code, info), headers);
  };

  const matched = routes.match(url.pathname);
  if (!matched) {
    const hint = routes.closest(url.pathname);
    refuse(404, '022', `no OICP 2.3 operation at ${req.method} ${url.pathname}${hint ? `; did you mean ${hint}?` : ''}`);
    return;
  }
  if (req.method !== 'POST') {
    refuse(405, '022', `OICP operations use POST, got ${req.method}`, undefined, { allow: 'POST' });
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
  res.once('close', push.end);
  const received = await readBody(req, hub.settings.bodyLimitBytes);
  const raw = received.buf;
  if (raw.length > 0) exchange.request.body = previewText(raw);
  if (push.parallel) {
    exchange.violations.push({ kind: 'aup', pointer: '', side: 'request', message: `${pushOperation} sent while a previous ${pushOperation} from ${pusher} was still unanswered; pushes must be sequential` });
  }
  await push.processed;
  if (received.tooLarge) {
    res.setHeader('connection', 'close');
    refuse(413, '022', `request body of ${received.bytes} bytes is over the hub's limit of ${hub.settings.bodyLimitBytes} bytes`);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    refuse(400, '022', `request body is not valid JSON: ${messageOf(e)}`);
    return;
  }
  exchange.request.body = body;
  const operation = matched.route.resolve(body);
  exchange.operation = operation;

  const sender = identify(deps, req, operation, matched.pathIds, body);
  if (!sender.ok) {
    exchange.partnerId = sender.claimed;
    refuse(sender.httpStatus, sender.code, sender.reason, operation);
    return;
  }
  const partner = sender.partner;
  exchange.partnerId = partner.id;

  const admitted = deps.aup.admit(partner.id, operation);
  if (!admitted.ok) {
    const seconds = Math.ceil(admitted.retryAfterMs / 1000);
    // A refusal a scenario forced (to see the partner back off) is not the partner's violation.
    if (!admitted.forced) exchange.violations.push({ kind: 'aup', pointer: '', side: 'request', message: `over the AUP limit of ${admitted.limit} ${operation}/min` });
    const why = admitted.forced ? 'HBS is busy' : `at most ${admitted.limit} ${operation} calls per minute`;
    reply(429, negativeAnswer(operation, '021', `Acceptable Use Policy: ${why}; retry after ${seconds} s with backoff`), { 'retry-after': String(seconds) });
    return;
  }

  const schema = validateMessage(operation, 'request', body);
  for (const v of schema) {
    exchange.violations.push({ kind: v.severity === 'warning' ? 'unknown-property' : 'schema', pointer: v.pointer, message: v.message, side: 'request' });
  }
  const errors = schema.filter((v) => v.severity === 'error');
  if (errors.length > 0) {
    const listed = errors.slice(0, 10).map((v) => `${v.pointer || '/'}: ${v.message}`).join('; ');
    reply(400, negativeAnswer(operation, '022', truncate(`${errors.length} schema violation(s): ${listed}`, 1000)));
    return;
  }

  try {
    const request = operationRequest(deps, operation, partner, body, url, matched.pathIds, exchange);
    const result = await deps.handlers[operation](request as never);
    if (result.sessionId) exchange.sessionId = result.sessionId;
    for (const v of validateMessage(operation, 'response', result.body)) {
      // The hub's own answer broke the model: a bug in hbs-sim, shown rather than hidden.
      exchange.violations.push({ kind: 'schema', pointer: v.pointer, message: `hub answer: ${v.message}`, side: 'response' });
    }
    reply(result.httpStatus ?? 200, result.body);
  } catch (e) {
    hub.logger.error({ err: e, operation, exchange: exchange.id }, 'hub handler failed');
    reply(500, negativeAnswer(operation, '001', `HBS simulator internal error: ${messageOf(e)}`));
  }
}

type Identified =
  | { ok: true; partner: Partner }
  | { ok: false; httpStatus: number; code: '017' | '300'; reason: string; claimed?: string };

/** The sender: its certificate's partner (mTLS) or the ID it claims (plain HTTP), checked against every claimed ID. */
function identify(deps: PipelineDeps, req: Request, operation: OperationId, pathIds: { operatorID?: string; providerID?: string }, body: unknown): Identified {
  const { hub } = deps;
  const claims = claimedIds(operation, pathIds, body);
  let certId: string;
  if (hub.settings.transport === 'mtls') {
    const peer = peerIdentity(req);
    if (!peer.ok) return { ok: false, httpStatus: 403, code: '017', reason: peer.reason, claimed: claims[0]?.value };
    certId = peer.id;
  } else {
    const first = claims[0];
    if (!first) return { ok: false, httpStatus: 200, code: '300', reason: 'plain-HTTP mode: the request names no OperatorID/ProviderID' };
    certId = first.value;
  }
  const partner = hub.directory.byCertificateId(certId);
  if (!partner) return { ok: false, httpStatus: 200, code: '300', reason: `partner ${certId} is not known to this hub (simulator/partners/)`, claimed: certId };
  if (partner.locked) return { ok: false, httpStatus: 200, code: '017', reason: `partner ${partner.id} is locked`, claimed: certId };
  if (partner.role !== OPERATIONS[operation].sender) {
    return { ok: false, httpStatus: 200, code: '017', reason: `${operation} is sent by a ${OPERATIONS[operation].sender}; ${partner.id} is a ${partner.role}`, claimed: certId };
  }
  const wrong = mismatch(claims, partner.id);
  if (wrong) {
    return { ok: false, httpStatus: 200, code: '017', reason: `${wrong.where} says ${wrong.value} but the client certificate is ${partner.id}`, claimed: certId };
  }
  return { ok: true, partner };
}

function operationRequest(
  deps: PipelineDeps,
  operation: OperationId,
  partner: Partner,
  body: unknown,
  url: URL,
  pathIds: { operatorID?: string; providerID?: string },
  exchange: Exchange,
): OperationRequest<OperationId> {
  return {
    operation,
    partner,
    body: body as never,
    query: url.searchParams,
    pathIds,
    exchange,
    hub: deps.hub,
    flag: (pointer, message, kind: Violation['kind'] = 'protocol') => exchange.violations.push({ kind, pointer, message, side: 'request' }),
  };
}

function headersOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k === 'authorization' || k === 'cookie') continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function previewText(raw: Buffer): string {
  return raw.length > 64 * 1024 ? `${raw.subarray(0, 64 * 1024).toString('utf8')}… (${raw.length} bytes)` : raw.toString('utf8');
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
