import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../net/read-body.js';
import { negativeAnswer } from '../../oicp/answers.js';
import { mediumOf } from '../../oicp/media.js';
import type { Identification, RequestOf, ResponseOf } from '../../oicp/messages.js';
import { OPERATIONS, type OperationId } from '../../oicp/operations.js';
import { validateMessage } from '../../oicp/validate.js';
import type { SchemaViolation } from '../../oicp/violations.js';
import type { Clock } from '../../shared/clock.js';
import { messageOf, SimError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import { copyWith } from '../../shared/own-properties.js';
import type { PemPair } from '../../tls/load.js';
import type { FaultBook } from './faults.js';

/**
 * The HTTPS server of a virtual partner: the URL the hub forwards to. It serves the operations it is given at their
 * standard OICP partner paths under any prefix, checks the hub's client certificate against the CA (mutual TLS, as a
 * partner's endpoint at Hubject does), schema-checks the request, applies armed answer faults, then calls the
 * actor's handler. Bad requests get the operation's own negative answer with 022, never a crash.
 */

export type EndpointHandlers = { [O in OperationId]?: (body: RequestOf<O>) => Promise<ResponseOf<O>> };

export interface EndpointOptions {
  actor: string;
  handlers: EndpointHandlers;
  faults: FaultBook;
  clock: Clock;
  logger: Logger;
  /** Server identity and the CA client certificates must chain to; omit for plain HTTP. */
  tls?: { server: PemPair; ca: string };
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Own paths per operation, served instead of the standard ones (a backend with URLs of its own design). */
  paths?: Partial<Record<OperationId, string>>;
  /**
   * The partner's own request validation before OICP's (a web framework's validator): an answer of its own for a
   * request it will not take, given every violation (warnings are unknown properties; a body that is not JSON
   * comes as undefined with one error at the root), or undefined to go on.
   */
  screen?: (
    operation: OperationId,
    body: unknown,
    violations: readonly SchemaViolation[],
  ) => { status: number; body: unknown } | undefined;
  /** True when the connection is to be closed after this answer (`Connection: close`). */
  closeAfter?: (status: number, body: unknown) => boolean;
}

const BODY_LIMIT = 4 * 1024 * 1024;

export class PartnerEndpoint {
  private server: http.Server | undefined;
  /** Aborted by close(): a delay fault's wait ends with the endpoint instead of holding the process. */
  private readonly closing = new AbortController();
  private readonly routes: Array<{ operation: OperationId; pattern: RegExp }>;

  constructor(private readonly options: EndpointOptions) {
    this.routes = (Object.keys(options.handlers) as OperationId[]).flatMap((operation) => {
      const own = options.paths?.[operation];
      if (own) return [{ operation, pattern: new RegExp(`^${escapeRegExp(own)}/?$`, 'i') }];
      const op = OPERATIONS[operation];
      return (op.partnerPaths ?? op.hubPaths).map((p) => ({ operation, pattern: pathPattern(p) }));
    });
  }

  /** Starts listening (default: an ephemeral loopback port); resolves with the Service URL to register (`…/oicp`). */
  async listen(): Promise<string> {
    const { tls } = this.options;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.handle(req, res).catch((e: unknown) => {
        this.options.logger.error({ err: e, actor: this.options.actor }, 'virtual actor endpoint failed');
        if (!res.headersSent) {
          const body = { message: 'virtual actor failure' };
          const close = this.options.closeAfter?.(500, body) === true;
          res
            .writeHead(500, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) })
            .end(JSON.stringify(body));
        }
      });
    };
    const server = tls
      ? https.createServer(
          {
            key: tls.server.key,
            cert: tls.server.cert,
            ca: tls.ca,
            requestCert: true,
            rejectUnauthorized: true,
            minVersion: 'TLSv1.2',
          },
          handler,
        )
      : http.createServer(handler);
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) =>
        reject(
          new SimError('SIM_START', `${this.options.actor} could not listen on ${host}: ${messageOf(e)}`, { cause: e }),
        ),
      );
      server.listen(this.options.port ?? 0, host, resolve);
    });
    this.server = server;
    return `${tls ? 'https' : 'http'}://${host}:${(server.address() as AddressInfo).port}/oicp`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.closing.abort();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = this.routes.find((r) => r.pattern.test(path));
    const send = (status: number, body: unknown): void => {
      const close = this.options.closeAfter?.(status, body) === true;
      res
        .writeHead(status, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) })
        .end(JSON.stringify(body));
    };
    if (!route) return send(404, { message: `${this.options.actor} serves no OICP operation at ${path}` });
    if (req.method !== 'POST') return send(405, { message: 'OICP operations are POST' });
    const { operation } = route;
    const raw = await readBody(req, BODY_LIMIT);
    if (raw.tooLarge) return send(413, negativeAnswer(operation, '022', 'request body too large'));
    let body: unknown;
    try {
      body = JSON.parse(raw.buf.toString('utf8'));
    } catch {
      const own = this.options.screen?.(operation, undefined, [
        { pointer: '', message: 'request body is not JSON', severity: 'error' },
      ]);
      if (own) return send(own.status, own.body);
      return send(400, negativeAnswer(operation, '022', 'request body is not JSON'));
    }
    const violations = validateMessage(operation, 'request', body);
    const own = this.options.screen?.(operation, body, violations);
    if (own) return send(own.status, own.body);
    const errors = violations.filter((v) => v.severity === 'error');
    if (errors.length > 0) {
      const first = errors[0]!;
      return send(
        400,
        withSession(negativeAnswer(operation, '022', `${first.pointer || '/'}: ${first.message}`), body),
      );
    }
    if (await this.applyFault(operation, body, res)) return;
    const handler = this.options.handlers[operation] as (b: unknown) => Promise<unknown>;
    send(200, await handler(body));
  }

  /** Plays an armed answer fault; true when the answer (or the lack of one) is already given. */
  private async applyFault(operation: OperationId, body: unknown, res: http.ServerResponse): Promise<boolean> {
    const b = body as { EvseID?: string; Identification?: Identification };
    const medium = b.Identification ? mediumOf(b.Identification) : undefined;
    const probe = {
      actor: this.options.actor,
      operation,
      evseId: b.EvseID,
      tokens: [medium?.uid, medium?.evcoId].filter((t): t is string => !!t),
    };
    const fault = this.options.faults.take(['delay', 'reject', 'http500', 'close', 'malformedJson'], probe);
    if (!fault) return false;
    this.options.logger.info(
      { actor: this.options.actor, operation, fault: fault.kind, id: fault.id },
      'playing an armed fault',
    );
    switch (fault.kind) {
      case 'delay':
        // Closed while waiting: no answer, as a partner that goes away gives none.
        if (
          !(await this.options.clock.busy(fault.delayMs ?? 0, this.closing.signal).then(
            () => true,
            () => false,
          ))
        )
          return true;
        return res.destroyed;
      case 'reject':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify(
              withSession(
                negativeAnswer(operation, fault.code!, `fault ${fault.id} armed on ${this.options.actor}`),
                body,
              ),
            ),
          );
        return true;
      case 'http500':
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end('{"message":"Internal Server Error (armed fault)"}');
        return true;
      case 'close':
        res.socket?.destroy();
        return true;
      case 'malformedJson':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"Result": true, "StatusCode": {"Code": "000"');
        return true;
    }
  }
}

/** A negative answer keeps the request's SessionID, as OICP answers do. */
function withSession<T>(answer: T, request: unknown): T {
  const sid = (request as { SessionID?: unknown })?.SessionID;
  return typeof sid === 'string' ? (copyWith(answer as object, { SessionID: sid }) as T) : answer;
}

/** `/charging/v21/providers/{providerID}/authorize-remote/start` → a regex matching it at the end of any prefix. */
function pathPattern(template: string): RegExp {
  const escaped = escapeRegExp(template).replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`${escaped}/?$`, 'i');
}

/** Escapes what a path may hold, braces excepted (pathPattern turns `{name}` into a segment wildcard). */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
}
