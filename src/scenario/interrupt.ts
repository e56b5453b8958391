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

/** At most `ms` real milliseconds of `p` (a shutdown's last tidying must not hold the exit). */
export function atMost(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void p.then(
      () => { clearTimeout(timer); resolve(); },
      () => { clearTimeout(timer); resolve(); },
    );
  });
}
