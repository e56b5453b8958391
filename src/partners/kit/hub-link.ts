import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { OicpClient, type OutboundTls } from '../../net/oicp-client.js';
import type { RequestOf, ResponseOf } from '../../oicp/messages.js';
import type { Role } from '../../oicp/operations.js';
import { fillPath, OPERATIONS, type OperationId } from '../../oicp/operations.js';
import type { Clock } from '../../shared/clock.js';
import type { IdSource } from '../../shared/ids.js';

/**
 * A virtual actor's calls to the hub, as a partner makes them: its own client certificate, the operation's HBS
 * path with its own OperatorID/ProviderID, and pushes one at a time (Hubject's AUP forbids parallel pushes).
 * The hub records these exchanges itself; the link does not record them twice.
 */

export type HubAnswer<O extends OperationId> =
  | { ok: true; status: number; body: ResponseOf<O>; exchangeId: string; durationMs: number }
  | { ok: false; status?: number; body?: unknown; reason: string; exchangeId: string; durationMs: number };

export interface HubLinkOptions {
  /** The hub's OICP base URL, e.g. `https://127.0.0.1:8443/api/oicp`. */
  hubUrl: string;
  partnerId: string;
  role: Role;
  tls?: OutboundTls;
  clock: Clock;
  ids: IdSource;
  /** Protocol milliseconds to wait for the hub; longer than any hub-side timeout so the hub's own answer arrives. */
  timeoutMs: number;
  /** Asked per push; default always true, as the AUP requires. Only a reference partner's `parallelPushes` fault says no. */
  sequentialPushes?: () => boolean;
  /**
   * What to do with a 429 Too Many Requests, asked each time: wait its Retry-After and send again, as often as it
   * takes (default, as the AUP asks), send again at once (once), or take the refusal. Only the reference partners' faults choose otherwise.
   */
  on429?: () => 'backoff' | 'retry-now' | 'give-up';
}

/** What an actor needs of its link: the reference partners hand in a link that misbehaves on purpose. */
export type HubSender = Pick<HubLink, 'send'>;

export class HubLink {
  private readonly client: OicpClient;
  private pushes: Promise<unknown> = Promise.resolve();
  /** Aborted by interrupt(), so a call waiting out a Retry-After (up to a minute) does not hold a shutdown. */
  private readonly closing = new AbortController();

  constructor(private readonly options: HubLinkOptions) {
    // Every call waiting out a Retry-After listens on it until its wait ends: under a burst of 429s that is one
    // listener per waiting call, which is no leak, so Node's warning past 10 is switched off for this signal.
    setMaxListeners(0, this.closing.signal);
    this.client = new OicpClient({ clock: options.clock, ids: options.ids });
  }

  async send<O extends OperationId>(
    operation: O,
    body: RequestOf<O>,
    query: Record<string, string | number> = {},
  ): Promise<HubAnswer<O>> {
    if (!operation.startsWith('Push') || this.options.sequentialPushes?.() === false)
      return this.call(operation, body, query);
    const turn = this.pushes.then(() => this.call(operation, body, query));
    this.pushes = turn.catch(() => undefined);
    return turn;
  }

  /** Ends every wait for a Retry-After (the call returns its 429); first step of a shutdown. */
  interrupt(): void {
    this.closing.abort();
  }

  close(): void {
    this.interrupt();
    this.client.close();
  }

  /**
   * Sends; a 429 is waited out (its Retry-After) and the call sent again, as often as HBS answers 429, so a
   * throttled End notification or CDR is delayed, never lost. Only interrupt() (shutdown) or a policy other than
   * backoff ends that with the 429 as the answer.
   */
  private async call<O extends OperationId>(
    operation: O,
    body: RequestOf<O>,
    query: Record<string, string | number>,
  ): Promise<HubAnswer<O>> {
    let answer = await this.callOnce(operation, body, query);
    for (let retriesNow = 0; ; ) {
      const retryAfter = answer.ok || answer.status !== 429 ? undefined : answer.retryAfterSeconds;
      const policy = this.options.on429?.() ?? 'backoff';
      if (retryAfter === undefined || policy === 'give-up') return answer;
      // A partner that retries at once does so once: it is a fault on purpose, not a loop.
      if (policy === 'retry-now') {
        if (retriesNow++ > 0) return answer;
      } else {
        // Retry-After is an HTTP header, so it is real seconds whatever the time scale.
        const waited = await delay(retryAfter * 1000, undefined, { signal: this.closing.signal }).then(
          () => true,
          () => false,
        );
        if (!waited) return answer;
      }
      answer = await this.callOnce(operation, body, query);
    }
  }

  private async callOnce<O extends OperationId>(
    operation: O,
    body: RequestOf<O>,
    query: Record<string, string | number>,
  ): Promise<HubAnswer<O> & { retryAfterSeconds?: number }> {
    const { hubUrl, partnerId, role, tls, clock, timeoutMs } = this.options;
    const path = fillPath(
      OPERATIONS[operation].hubPaths[0]!,
      role === 'CPO' ? { operatorID: partnerId } : { providerID: partnerId },
    );
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const result = await this.client.send({
      url: `${hubUrl}${path}${qs ? `?${qs}` : ''}`,
      operation,
      body,
      timeoutMs: clock.deadline(timeoutMs),
      tls,
      direction: 'partner→hub',
      partnerId,
    });
    const common = { exchangeId: result.exchange.id, durationMs: result.exchange.durationMs };
    if (result.ok) return { ok: true, status: result.status ?? 200, body: result.body as ResponseOf<O>, ...common };
    const retryAfter = result.exchange.response?.headers['retry-after'];
    return {
      ok: false,
      status: result.status,
      body: result.body,
      reason: result.reason ?? 'no answer',
      ...common,
      ...(retryAfter !== undefined && /^\d+$/.test(retryAfter) ? { retryAfterSeconds: Number(retryAfter) } : {}),
    };
  }
}
