import http from 'node:http';
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import { urlToHttpOptions } from 'node:url';
import { isOperationId } from '../oicp/operations.js';
import { readStatusCode } from '../oicp/status-codes.js';
import { validateMessage } from '../oicp/validate.js';
import { BoundedMemo } from '../shared/bounded-memo.js';
import { type Clock, isoNow } from '../shared/clock.js';
import { messageOf } from '../shared/errors.js';
import type { Exchange, ExchangeDirection, Violation, ViolationRule } from '../shared/exchange.js';
import type { IdSource } from '../shared/ids.js';
import type { Recorder } from '../shared/recorder.js';
import { AbortableRequests } from './abort-requests.js';
import { type Attempt, retryingStaleSocket } from './stale-socket.js';

/** TLS material for one outbound identity: whom we trust, and the client certificate we present (mTLS). */
export interface OutboundTls {
  ca?: string | string[];
  cert?: string;
  key?: string;
  /** The name the server's certificate must carry when it is not the URL's host (a hub on an address its certificate does not name). */
  servername?: string;
}

export interface OutboundRequest {
  url: string;
  /** OperationId, used to validate both sides against the OICP model; any other name skips validation. */
  operation: string;
  body: unknown;
  /** Real milliseconds (already scaled by the caller's clock). */
  timeoutMs: number;
  tls?: OutboundTls;
  direction?: ExchangeDirection;
  partnerId?: string;
  causeId?: string;
  sessionId?: string;
  signal?: AbortSignal;
  /** Protocol rules the caller checks on a 2xx JSON answer; each problem becomes a response-side violation. */
  inspect?: (body: unknown) => AnswerProblem[];
}

/** A protocol rule an answer broke, found by the caller's `inspect`. */
export type AnswerProblem = Pick<Violation, 'pointer' | 'message'> & { rule: ViolationRule };

export type OutboundFailure = 'timeout' | 'connection' | 'tls' | 'http-status' | 'invalid-json' | 'aborted';

export interface OutboundResult {
  exchange: Exchange;
  /** An HTTP 2xx answer with a JSON body arrived. */
  ok: boolean;
  status?: number;
  body?: unknown;
  failure?: OutboundFailure;
  /** Human-readable reason when not ok. */
  reason?: string;
}

export interface OicpClientDeps {
  clock: Clock;
  ids: IdSource;
  /** Exchanges are recorded here when given. */
  recorder?: Recorder;
  /**
   * Idle kept-alive sockets are closed after this long (default 4000 ms), before a partner server's own idle
   * timeout (Node's default is 5 s) can close one just as a request goes out on it — a POST that may or may not
   * have arrived cannot safely be sent again. Shorter `Keep-Alive: timeout` hints from the server win.
   */
  idleSocketMs?: number;
}

const MAX_RECORDED_TEXT = 64 * 1024;
/** URLs kept parsed (OicpClient.urls). */
const MAX_PARSED_URLS = 256;

/** Where a URL points, as the request options http.request needs. */
interface ParsedUrl {
  protocol: string;
  hostname: string;
  port: number | undefined;
  path: string;
  auth: string | undefined;
}

/**
 * Sends OICP requests over HTTPS (mutual TLS when a client certificate is given) or plain HTTP, with a hard timeout,
 * and turns every attempt, answered or not, into a recorded Exchange. Keeps one keep-alive agent per TLS identity so
 * repeated forwards do not pay a handshake each.
 */
export class OicpClient {
  private readonly agents = new Map<string, https.Agent | http.Agent>();
  /** CA → client certificate → server name → the identity's key in `agents` (see identityKey). */
  private readonly identities = new Map<string, unknown>();
  private identityCount = 0;
  private readonly abortable = new AbortableRequests();
  /**
   * Each URL as request options, parsed once: a forward goes to the same few partner URLs again and again, and
   * parsing one (then turning it into options, as http.request does with a URL) cost about 1 % of a forward.
   */
  private readonly urls = new BoundedMemo<string, ParsedUrl>(MAX_PARSED_URLS);

  constructor(private readonly deps: OicpClientDeps) {}

  async send(req: OutboundRequest): Promise<OutboundResult> {
    const { clock, ids } = this.deps;
    const started = clock.monotonicMs();
    const startedAt = isoNow(clock);
    const requestText = JSON.stringify(req.body);
    const violations = this.validate(req.operation, 'request', req.body);
    const exchange: Exchange = {
      id: ids.exchangeId(),
      direction: req.direction ?? 'hub→partner',
      operation: req.operation,
      partnerId: req.partnerId,
      causeId: req.causeId,
      sessionId: req.sessionId,
      request: { method: 'POST', url: req.url, headers: { 'content-type': 'application/json' }, body: req.body },
      startedAt,
      durationMs: 0,
      violations,
      // Declared now rather than added later (see the pipeline's exchange): the kept exchange stays one object.
      response: undefined,
      statusCode: undefined,
    };
    const finish = (result: Omit<OutboundResult, 'exchange'>): OutboundResult => {
      exchange.durationMs = Math.round((clock.monotonicMs() - started) * 1000) / 1000;
      this.deps.recorder?.record(exchange, { request: requestText.length, response: responseBytes });
      return { exchange, ...result };
    };

    // The answer's size as it came, when it is kept parsed (the recorder counts it without serializing it again).
    let responseBytes: number | undefined;
    let answer: { status: number; headers: Record<string, string>; text: string };
    try {
      answer = await this.post(req, requestText);
    } catch (e) {
      const failure = classify(e, req.signal);
      const reason =
        failure === 'timeout'
          ? `no answer within ${req.timeoutMs} ms`
          : failure === 'aborted' && req.signal?.reason instanceof Error
            ? req.signal.reason.message
            : messageOf(e);
      exchange.transportError = { code: failure, message: reason };
      return finish({ ok: false, failure, reason });
    }

    const parsed = parseJson(answer.text);
    if (parsed.ok) responseBytes = answer.text.length;
    exchange.response = {
      status: answer.status,
      headers: answer.headers,
      body: parsed.ok ? parsed.value : answer.text.slice(0, MAX_RECORDED_TEXT),
    };
    if (!parsed.ok) {
      exchange.violations.push({ kind: 'schema', pointer: '', side: 'response', message: `not JSON: ${parsed.error}` });
      return finish({
        ok: false,
        status: answer.status,
        failure: 'invalid-json',
        reason: `answer is not JSON (${parsed.error})`,
      });
    }
    exchange.statusCode = readStatusCode(parsed.value);
    if (answer.status < 200 || answer.status > 299) {
      return finish({
        ok: false,
        status: answer.status,
        body: parsed.value,
        failure: 'http-status',
        reason: `HTTP ${answer.status}`,
      });
    }
    exchange.violations.push(...this.validate(req.operation, 'response', parsed.value));
    for (const problem of req.inspect?.(parsed.value) ?? []) {
      exchange.violations.push({ kind: 'protocol', side: 'response', ...problem });
    }
    return finish({ ok: true, status: answer.status, body: parsed.value });
  }

  /** Closes idle keep-alive sockets (call on shutdown). */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private validate(operation: string, side: 'request' | 'response', body: unknown): Violation[] {
    if (!isOperationId(operation)) return [];
    return validateMessage(operation, side, body).map((v) => ({
      kind: v.severity === 'warning' ? 'unknown-property' : 'schema',
      pointer: v.pointer,
      message: v.message,
      side,
    }));
  }

  /**
   * A short name for one TLS identity (CA, client certificate, server name). Joining the PEM texts into one key cost
   * a few kilobytes of hashing per request; the same PEM string objects come back every time (the hub's material,
   * a partner's CA file read once), so a lookup by them hashes each string once.
   */
  private identityKey(tls: OutboundTls | undefined): string {
    const ca = tls?.ca;
    const parts = [Array.isArray(ca) ? ca.join('') : (ca ?? ''), tls?.cert ?? '', tls?.servername ?? ''];
    let level: Map<string, unknown> = this.identities;
    for (const part of parts.slice(0, -1)) {
      let nextLevel = level.get(part) as Map<string, unknown> | undefined;
      if (!nextLevel) {
        nextLevel = new Map();
        level.set(part, nextLevel);
      }
      level = nextLevel;
    }
    const last = parts.at(-1)!;
    let name = level.get(last) as string | undefined;
    if (name === undefined) {
      name = `https#${this.identityCount++}`;
      level.set(last, name);
    }
    return name;
  }

  private idleSocketMs(): number {
    return this.deps.idleSocketMs ?? 4000;
  }

  private agentFor(url: { protocol: string }, tls: OutboundTls | undefined): http.Agent {
    const secure = url.protocol === 'https:';
    const key = secure ? this.identityKey(tls) : 'http';
    let agent = this.agents.get(key);
    if (!agent) {
      agent = secure
        ? new https.Agent({
            keepAlive: true,
            timeout: this.idleSocketMs(),
            // The identity as one context, not as ca/cert/key: https.Agent names its pool after every TLS option it
            // holds, and built (and hashed) that name of several kilobytes of PEM three times per request.
            secureContext: createSecureContext({ ca: tls?.ca, cert: tls?.cert, key: tls?.key }),
            servername: tls?.servername,
            maxSockets: 32,
          })
        : new http.Agent({ keepAlive: true, timeout: this.idleSocketMs(), maxSockets: 32 });
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** One POST; a kept-alive socket the partner closed just as it went out is replaced once (see stale-socket.ts). */
  private async post(
    req: OutboundRequest,
    text: string,
  ): Promise<{ status: number; headers: Record<string, string>; text: string }> {
    const url = this.urls.get(req.url, parseUrl);
    // One deadline for both attempts: the retry does not extend the operation's timeout.
    const deadline = performance.now() + req.timeoutMs;
    return retryingStaleSocket((attempt) =>
      this.postOnce(url, req, text, attempt, Math.max(1, deadline - performance.now())),
    );
  }

  private postOnce(
    url: ParsedUrl,
    req: OutboundRequest,
    text: string,
    attempt: Attempt,
    timeoutMs: number,
  ): Promise<{ status: number; headers: Record<string, string>; text: string }> {
    return new Promise((resolve, reject) => {
      const lib = url.protocol === 'https:' ? https : http;
      const headers = {
        'content-type': 'application/json',
        accept: 'application/json',
        'content-length': Buffer.byteLength(text),
      };
      // One literal of a fixed shape: Object.assign from the parsed URL's options (an object without a prototype,
      // which V8 keeps as a dictionary) cost 2 µs per request, and a spread into a literal that goes on gives every
      // request's options a hidden class of their own (see shared/own-properties.ts). Through an agent, the agent's
      // own TLS options win over the undefined ones here; a fresh connection (agent: false) takes these.
      const fresh = attempt.fresh;
      const request = lib.request({
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        path: url.path,
        auth: url.auth,
        method: 'POST',
        headers,
        agent: fresh ? false : this.agentFor(url, req.tls),
        ca: fresh ? req.tls?.ca : undefined,
        cert: fresh ? req.tls?.cert : undefined,
        key: fresh ? req.tls?.key : undefined,
        servername: fresh ? req.tls?.servername : undefined,
      });
      attempt.watch(request);
      const timer = setTimeout(() => request.destroy(new TimeoutError()), timeoutMs);
      // Destroyed at once if the signal has already aborted; the 'error' comes on a later tick, to the listener below.
      const untrack = this.abortable.track(req.signal, request);
      const settled = (): void => {
        clearTimeout(timer);
        untrack();
      };
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          settled();
          resolve({
            status: res.statusCode ?? 0,
            headers: flattenHeaders(res.headers),
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', (e) => {
          settled();
          reject(e);
        });
      });
      request.on('error', (e) => {
        settled();
        reject(e);
      });
      request.end(text);
    });
  }
}

class TimeoutError extends Error {
  constructor() {
    super('timeout');
    this.name = 'TimeoutError';
  }
}

function classify(e: unknown, signal: AbortSignal | undefined): OutboundFailure {
  if (e instanceof TimeoutError) return 'timeout';
  if (signal?.aborted) return 'aborted';
  const code = (e as { code?: string }).code ?? '';
  if (
    /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code) ||
    /certificate|handshake|alert/i.test(messageOf(e))
  ) {
    return 'tls';
  }
  return 'connection';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: text.length === 0 ? 'empty body' : messageOf(e) };
  }
}

/** A URL as request options; one that is not absolute http(s) is refused, saying what is expected. */
function parseUrl(text: string): ParsedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`not a valid URL: ${text} (give an absolute https:// or http:// URL)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(
      `unsupported URL scheme ${url.protocol} in ${text} (OICP partners are reached over https://, or http://)`,
    );
  const options = urlToHttpOptions(url);
  return {
    protocol: url.protocol,
    hostname: options.hostname ?? url.hostname,
    port: options.port === undefined ? undefined : Number(options.port),
    path: options.path ?? '/',
    auth: options.auth ?? undefined,
  };
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  // for…in, not Object.entries: no array of pairs per answer (Node's headers object has no prototype to inherit).
  for (const k in headers) {
    const v = headers[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
