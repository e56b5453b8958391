/**
 * All waiting goes through a Clock so that protocol timeouts and session durations can be compressed by a time scale
 * (e.g. 0.05 turns the 60 s remote-start limit into 3 s) for fast local runs, while dry runs keep the real values.
 * Timestamps stay wall-clock: a scaled clock shortens waits, it does not invent a different date.
 */
export interface Clock {
  /** Wall-clock now. */
  now(): Date;
  /** The factor `scale` applies (1 = real time); reports print limits with it. */
  readonly timeScale: number;
  /** Protocol milliseconds (as the spec states them) → real milliseconds to wait. */
  scale(protocolMs: number): number;
  /** Waits `protocolMs` protocol milliseconds (scaled); rejects with the signal's reason when aborted. */
  sleep(protocolMs: number, signal?: AbortSignal): Promise<void>;
  /** Monotonic real milliseconds for measuring durations. */
  monotonicMs(): number;
}

export function createClock(timeScale = 1): Clock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new RangeError(`time scale must be a positive number, got ${timeScale}`);
  }
  const scale = (protocolMs: number): number => Math.max(0, Math.round(protocolMs * timeScale));
  return {
    now: () => new Date(),
    timeScale,
    scale,
    monotonicMs: () => performance.now(),
    sleep: (protocolMs, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, scale(protocolMs));
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

/** ISO 8601 with an explicit offset, as OICP requires (`Z`). */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
