import type { ClientRequest } from 'node:http';
import { SwapRemoveList } from '../shared/swap-remove-list.js';

/**
 * Destroys in-flight requests when their AbortSignal aborts, with one 'abort' listener per signal. Handing the signal
 * to http.request instead added an EventTarget listener and an end-of-stream watcher to every request and removed
 * them again, some 2 % of the CPU of a forwarded request, for a signal that aborts once, at shutdown. The requests
 * are listed in a SwapRemoveList, not a Set: a Set kept finished requests alive through young-generation GCs (see there).
 */
export class AbortableRequests {
  private readonly pending = new WeakMap<AbortSignal, SwapRemoveList<ClientRequest>>();

  /** Destroys `request` when `signal` aborts (at once when it has); returns what to call once the request settled. */
  track(signal: AbortSignal | undefined, request: ClientRequest): () => void {
    if (!signal) return noop;
    if (signal.aborted) {
      request.destroy(abortError(signal));
      return noop;
    }
    let requests = this.pending.get(signal);
    if (!requests) {
      const all = new SwapRemoveList<ClientRequest>();
      signal.addEventListener(
        'abort',
        () => {
          // Each destroyed request's own listeners take it out of the list; the copy is walked.
          for (const r of all.values()) r.destroy(abortError(signal));
        },
        { once: true },
      );
      this.pending.set(signal, all);
      requests = all;
    }
    return requests.add(request);
  }
}

const noop = (): void => {};

/** What Node destroys a request with when its own `signal` option aborts. */
function abortError(signal: AbortSignal): Error {
  const e = new Error('The operation was aborted', { cause: signal.reason });
  e.name = 'AbortError';
  return Object.assign(e, { code: 'ABORT_ERR' });
}
