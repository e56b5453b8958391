import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import type { HubSettings, Partner } from '../config/world/types.js';
import type { AnswerProblem, OicpClient, OutboundFailure, OutboundTls } from '../net/oicp-client.js';
import { fillPath, forwardTimeoutMs, OPERATIONS, type OperationId, type ServiceType } from '../oicp/operations.js';
import { BoundedMemo } from '../shared/bounded-memo.js';
import type { Clock } from '../shared/clock.js';
import type { Exchange } from '../shared/exchange.js';
import type { HubTlsMaterial } from '../tls/load.js';

export type ForwardResult =
  | { ok: true; body: unknown; exchange: Exchange }
  | {
      ok: false;
      failure: OutboundFailure | 'not-configured' | 'invalid-response';
      reason: string;
      exchange?: Exchange;
    };

export interface ForwardOptions {
  /** Protocol milliseconds (the clock scales them); default: the operation's deadline among the hub's timeouts. */
  timeoutMs?: number;
  causeId: string;
  sessionId?: string;
  /** Fills `{operatorID}`/`{providerID}` in the partner path (the IDs of the original sender). */
  pathIds: { operatorID?: string; providerID?: string };
  inspect?: (body: unknown) => AnswerProblem[];
}

/** Path IDs come from requests (the sender's ID): the bound keeps a partner's remembered targets few whatever comes. */
const MAX_TARGETS_PER_PARTNER = 256;

type Target = { url: string } | { reason: string };

/**
 * HBS's outbound leg: finds where a partner receives an operation (per-operation URL, else Service URL + the standard
 * OICP path), presents the hub's client certificate when the partner asked for Client Certification, and gives up at
 * the operation's timeout. @see OICP 2.3 CPO and EMP, 06 Code Snippets (the OICP path is added to the partner's URL
 * endpoint); Hubject support article "Service Type Settings (CPO)"
 */
export class Forwarder {
  private readonly caCache = new Map<string, string>();
  private readonly targets = new WeakMap<Partner, BoundedMemo<string, Target>>();
  /** Aborted by cancelAll(): a shutdown ends pending forwards instead of waiting out a partner's deadline. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly client: OicpClient,
    private readonly clock: Clock,
    private readonly hubTls: HubTlsMaterial | undefined,
    private readonly timeouts: HubSettings['timeouts'],
  ) {
    // Each forward in flight listens on it: many at once are load, not a leak, so Node's warning past 10 is off.
    setMaxListeners(0, this.stopping.signal);
  }

  /** Where `partner` receives `operation`, or why it cannot be reached (see forwardTarget). */
  target(partner: Partner, operation: OperationId, pathIds: ForwardOptions['pathIds']): Target {
    // Remembered per partner object: working it out (path template, Service URL split and joined) cost about 1 % of
    // a forwarded request. Sound because a partner is never changed in place: the directory swaps in a new object
    // when a URL is registered (PartnerDirectory.setServiceUrl), which starts with an empty entry here.
    let known = this.targets.get(partner);
    if (!known) {
      known = new BoundedMemo(MAX_TARGETS_PER_PARTNER);
      this.targets.set(partner, known);
    }
    const key = `${operation}\n${pathIds.operatorID ?? ''}\n${pathIds.providerID ?? ''}`;
    return known.get(key, () => forwardTarget(partner, operation, pathIds));
  }

  /**
   * Shutdown: every pending forward ends now and any later one at once, each recorded with the transport error
   * `aborted` ("cancelled: HBS is shutting down"); a CDR forward cancelled so stays NOT_FORWARDED. Without it a stop
   * waited for a slow partner up to the forward timeout (30 s).
   */
  cancelAll(): void {
    this.stopping.abort(new Error('cancelled: HBS is shutting down before the partner answered'));
  }

  async forward(
    partner: Partner,
    operation: OperationId,
    body: unknown,
    options: ForwardOptions,
  ): Promise<ForwardResult> {
    const target = this.target(partner, operation, options.pathIds);
    if ('reason' in target) return { ok: false, failure: 'not-configured', reason: target.reason };
    const result = await this.client.send({
      url: target.url,
      operation,
      body,
      timeoutMs: this.clock.deadline(options.timeoutMs ?? forwardTimeoutMs(operation, this.timeouts)),
      tls: this.tlsFor(partner, operation),
      direction: 'hub→partner',
      partnerId: partner.id,
      causeId: options.causeId,
      sessionId: options.sessionId,
      inspect: options.inspect,
      signal: this.stopping.signal,
    });
    if (!result.ok)
      return {
        ok: false,
        failure: result.failure ?? 'connection',
        reason: result.reason ?? 'no answer',
        exchange: result.exchange,
      };
    const errors = result.exchange.violations.filter((v) => v.kind === 'schema' && v.side === 'response');
    if (errors.length > 0) {
      const first = errors[0]!;
      return {
        ok: false,
        failure: 'invalid-response',
        reason: `answer violates the OICP schema at ${first.pointer || '/'}: ${first.message}`,
        exchange: result.exchange,
      };
    }
    return { ok: true, body: result.body, exchange: result.exchange };
  }

  private tlsFor(partner: Partner, operation: OperationId): OutboundTls {
    return partnerTls(partner, OPERATIONS[operation].serviceType, this.hubTls, (file) => this.readCa(file));
  }

  private readCa(file: string): string {
    let pem = this.caCache.get(file);
    if (pem === undefined) {
      pem = readFileSync(file, 'utf8');
      this.caCache.set(file, pem);
    }
    return pem;
  }
}

/**
 * Where `partner` receives `operation` (per-operation URL, else Service URL + the standard OICP path), or why HBS
 * cannot reach it there. The forwarder and the preflight (src/app/preflight.ts) both ask this, so the preflight
 * probes the very URLs HBS will call.
 */
export function forwardTarget(
  partner: Partner,
  operation: OperationId,
  pathIds: ForwardOptions['pathIds'],
): { url: string } | { reason: string } {
  const op = OPERATIONS[operation];
  const setting = partner.serviceTypes[op.serviceType];
  if (!setting?.onlineRequest) {
    return { reason: `${partner.id} has Online Request off for service type ${op.serviceType}` };
  }
  const explicit = setting.operationUrls[operation];
  // A URL the partner registered may name its own ID ({operatorID} for a CPO, {providerID} for an EMP).
  if (explicit)
    return {
      url: fillPath(explicit, { [partner.role === 'CPO' ? 'operatorID' : 'providerID']: partner.id, ...pathIds }),
    };
  if (!setting.serviceUrl) return { reason: `${partner.id} has no Service URL for service type ${op.serviceType}` };
  const path = fillPath(op.partnerPaths?.[0] ?? op.hubPaths[0]!, pathIds);
  // The OICP path extends the Service URL's path; a query or fragment the partner registered stays at the end.
  const cut = setting.serviceUrl.search(/[?#]/);
  const [base, rest] =
    cut < 0 ? [setting.serviceUrl, ''] : [setting.serviceUrl.slice(0, cut), setting.serviceUrl.slice(cut)];
  return { url: `${base.replace(/\/+$/, '')}${path}${rest}` };
}

/**
 * The TLS identity HBS uses towards `partner` for a service type: it trusts the partner's serverCaFile, else the
 * run's CA, and presents the hub's client certificate unless the partner turned Client Certification off. The
 * forwarder and the preflight both use it, so a preflight handshake is the handshake of the run.
 */
export function partnerTls(
  partner: Partner,
  serviceType: ServiceType,
  hubTls: HubTlsMaterial | undefined,
  readCa: (file: string) => string,
): OutboundTls {
  const setting = partner.serviceTypes[serviceType];
  const ca = partner.serverCaFile ? readCa(partner.serverCaFile) : hubTls?.ca;
  const present = setting?.clientCertification !== false && hubTls;
  return { ca, ...(present ? { cert: hubTls.client.cert, key: hubTls.client.key } : {}) };
}
