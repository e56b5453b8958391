/**
 * An interrupted run (SIGINT, SIGTERM) must end the item it is in promptly, not after its last 60 s await: a CI
 * `timeout` gives the process a few seconds before it kills it, and the report written in them must say the run is
 * incomplete. Every wait of the engine ends with an `Interrupted` when the run's signal aborts.
 */

export const INTERRUPTED_CODE = 'INTERRUPTED';

export class Interrupted extends Error {
  constructor() {
    super('interrupted: the run was stopped (SIGINT/SIGTERM) before this was checked; run the item again');
  }
}

/** `p`, or an `Interrupted` rejection as soon as `signal` aborts (the work behind `p` is left to the shutdown). */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new Interrupted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Resolves when `p` settles, or `graceMs` after `signal` aborts (at once aborted: `graceMs` from now), whichever is
 * first: tidying up after an item may take the partner's time, but not once the run is being stopped.
 */
export function settleUnlessStopped(
  p: Promise<unknown>,
  signal: AbortSignal | undefined,
  graceMs = 2_000,
): Promise<void> {
  if (!signal) return p.then(() => undefined);
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      timer = setTimeout(() => done(resolve), graceMs);
    };
    const done = (then: () => void): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      then();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      () => done(resolve),
      (e: unknown) => done(() => reject(e)),
    );
  });
}
