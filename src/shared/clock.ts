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
  /**
   * A deadline on another party's answer (protocol milliseconds) → real milliseconds to allow it: see
   * compressedDeadlineMs. At time scale 1 the protocol deadline itself.
   */
  deadline(protocolMs: number): number;
  /**
   * Spends `protocolMs` of a party's own processing (a simulated slow answer): deadline(protocolMs) real
   * milliseconds, so an answer late by the protocol's measure is late by the run's deadlines too.
   */
  busy(protocolMs: number, signal?: AbortSignal): Promise<void>;
  /** Waits `protocolMs` protocol milliseconds (scaled); rejects with the signal's reason when aborted. */
  sleep(protocolMs: number, signal?: AbortSignal): Promise<void>;
  /** Monotonic real milliseconds for measuring durations. */
  monotonicMs(): number;
}

/** Real time a compressed deadline adds for transport and processing (see compressedDeadlineMs). */
export const COMPRESSED_DEADLINE_ALLOWANCE_MS = 1000;

/**
 * The real milliseconds a run allows for a protocol deadline: the scaled time plus up to
 * COMPRESSED_DEADLINE_ALLOWANCE_MS, never more than the protocol deadline itself. Compression shortens the protocol's
 * waits; it cannot shorten a TLS handshake, a loaded CI runner or a backend's real work, and a 10 s CDR deadline at
 * time scale 0.02 (200 ms) failed partners for those. Adding rather than flooring keeps distinct limits distinct (a
 * 15 s answer still misses a 10 s best practice at any scale, see Clock.busy); at time scale 1 nothing is added.
 */
export function compressedDeadlineMs(protocolMs: number, timeScale: number): number {
  const scaled = Math.max(0, Math.round(protocolMs * timeScale));
  if (timeScale >= 1) return scaled;
  return scaled + Math.min(Math.max(0, protocolMs - scaled), COMPRESSED_DEADLINE_ALLOWANCE_MS);
}

export function createClock(timeScale = 1): Clock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new RangeError(`time scale must be a positive number, got ${timeScale}`);
  }
  const scale = (protocolMs: number): number => Math.max(0, Math.round(protocolMs * timeScale));
  const wait = (realMs: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, realMs);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  const deadline = (protocolMs: number): number => compressedDeadlineMs(protocolMs, timeScale);
  return {
    now: () => new Date(),
    timeScale,
    scale,
    deadline,
    monotonicMs: () => performance.now(),
    sleep: (protocolMs, signal) => wait(scale(protocolMs), signal),
    busy: (protocolMs, signal) => wait(deadline(protocolMs), signal),
  };
}

/**
 * ISO 8601 with an explicit offset, as OICP requires (`Z`). The last text is reused within the same millisecond:
 * toISOString costs about 0.7 µs, and a forwarded request stamps three or four times.
 */
export function isoNow(clock: Clock): string {
  const ms = clock.now().getTime();
  if (ms !== lastIso.ms) {
    lastIso.ms = ms;
    lastIso.text = new Date(ms).toISOString();
  }
  return lastIso.text;
}
const lastIso = { ms: Number.NaN, text: '' };
