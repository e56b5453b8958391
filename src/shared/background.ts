import type { Logger } from './log.js';
import { SwapRemoveList } from './swap-remove-list.js';

/**
 * Work that outlives the request that started it: the hub forwards a CDR after the CPO got its answer, a station
 * sends its notifications after answering HBS. A task settles its own outcome (a CDR's forward status); one that
 * fails anyway is logged, never left as an unhandled rejection and never silently dropped. idle() lets a shutdown
 * or a test wait for it.
 */
export class Background {
  /** Not a Set: one that churns keeps finished tasks alive through young-generation GCs (see SwapRemoveList). */
  private readonly pending = new SwapRemoveList<Promise<void>>();

  constructor(private readonly logger?: Logger) {}

  run(task: () => Promise<unknown>): void {
    let started: Promise<unknown>;
    try {
      started = task();
    } catch (e) {
      started = Promise.reject(e);
    }
    let remove = (): void => {};
    const p: Promise<void> = started
      .then(
        () => undefined,
        (e: unknown) => this.logger?.error({ err: e }, 'background task failed'),
      )
      .finally(() => remove());
    remove = this.pending.add(p);
  }

  /** Resolves once nothing is pending, including tasks started while waiting. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending.values());
  }
}
