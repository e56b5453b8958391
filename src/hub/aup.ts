import type { AupSettings } from '../config/world/types.js';
import { OPERATIONS, type OperationId } from '../oicp/operations.js';
import type { Clock } from '../shared/clock.js';

const PUSHES: ReadonlySet<OperationId> = new Set([
  'PushEvseData',
  'PushEvseStatus',
  'PushAuthenticationData',
  'PushPricingProductData',
  'PushEVSEPricing',
]);

/**
 * Hubject's Acceptable Use Policy: per-partner, per-operation calls per minute (a sliding window of one protocol
 * minute, so a time scale compresses it like every other protocol time), and pushes that must be sequential.
 * @see Hubject Acceptable Use Policy v1.0, Limits per eRoaming operation; OICP 2.3 CPO, 01 Communication Paradigms,
 *   Data push operations (pushes MUST be sequential)
 */
export class AupGuard {
  private readonly calls = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();
  /** Refusals a scenario asked for (`throttle` step): the next calls of an operation answered 429 whatever the count. */
  private readonly throttles = new Map<string, { left: number /** real ms, whole seconds */; retryAfterMs: number }>();

  constructor(
    private readonly settings: AupSettings,
    private readonly clock: Clock,
  ) {}

  limitFor(operation: OperationId): number {
    return this.settings.perMinute[operation] ?? OPERATIONS[operation].aupPerMinute;
  }

  /**
   * The partner's next `times` calls of `operation` are refused with 429 and a Retry-After of `retryAfterMs`
   * (protocol time), so a scenario can see how it backs off; with or without the AUP's own limits enabled.
   * Returns the Retry-After header it will send: whole real seconds, at least 1.
   */
  throttle(partnerId: string, operation: OperationId, times: number, retryAfterMs: number): number {
    const seconds = Math.max(1, Math.ceil(this.clock.scale(retryAfterMs) / 1000));
    this.throttles.set(`${partnerId}|${operation}`, { left: times, retryAfterMs: seconds * 1000 });
    return seconds;
  }

  clearThrottles(): void {
    this.throttles.clear();
  }

  /** Counts the call; refuses it when the partner is over the limit. */
  admit(
    partnerId: string,
    operation: OperationId,
  ): { ok: true } | { ok: false; limit: number; retryAfterMs: number; forced?: true } {
    const forced = this.throttles.get(`${partnerId}|${operation}`);
    if (forced && forced.left > 0) {
      forced.left -= 1;
      return { ok: false, limit: this.limitFor(operation), retryAfterMs: forced.retryAfterMs, forced: true };
    }
    if (!this.settings.enabled) return { ok: true };
    const windowMs = this.clock.scale(60_000);
    const now = this.clock.monotonicMs();
    const k = `${partnerId}|${operation}`;
    const recent = (this.calls.get(k) ?? []).filter((t) => now - t < windowMs);
    const limit = this.limitFor(operation);
    if (recent.length >= limit) {
      this.calls.set(k, recent);
      return { ok: false, limit, retryAfterMs: Math.max(1, Math.ceil(windowMs - (now - recent[0]!))) };
    }
    recent.push(now);
    this.calls.set(k, recent);
    return { ok: true };
  }

  /**
   * Marks a push as in flight; `parallel` is true when another push of the same operation is still unanswered.
   * `processed` resolves once HBS's processing time (settings.pushProcessingMs, real ms) has passed since arrival:
   * the answer waits for it, so pushes sent at once overlap here every time instead of when they happen to arrive
   * within the microseconds an in-memory store needs (OICP 2.3 CPO, 01 Communication Paradigms, Data push operations).
   */
  beginPush(
    partnerId: string,
    operation: OperationId,
  ): { parallel: boolean; end: () => void; processed: Promise<void> } {
    if (!PUSHES.has(operation)) return { parallel: false, end: () => {}, processed: Promise.resolve() };
    const processingMs = this.settings.pushProcessingMs ?? 0;
    const processed =
      processingMs > 0 ? new Promise<void>((resolve) => setTimeout(resolve, processingMs)) : Promise.resolve();
    const k = `${partnerId}|${operation}`;
    const n = this.inFlight.get(k) ?? 0;
    this.inFlight.set(k, n + 1);
    let ended = false;
    return {
      parallel: n > 0,
      processed,
      end: () => {
        if (ended) return;
        ended = true;
        this.inFlight.set(k, (this.inFlight.get(k) ?? 1) - 1);
      },
    };
  }
}
