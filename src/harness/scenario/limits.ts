/**
 * How a time limit reads in a verdict. Scenarios and rules state limits in protocol time (as the spec does); a run
 * at `--time-scale` below 1 holds the partner to the compressed, real limit (the scaled time plus an allowance for
 * transport and processing, shared/clock.ts compressedDeadlineMs). A partner developer reading "within 60 s"
 * next to an answer of 4 s that failed would be misled, so every limit shows the time the run really allowed and,
 * when the scale is not 1, the protocol time it stands for.
 */

/** The run's time scale: the factor, and a protocol deadline → the real milliseconds the run allows (Clock.deadline). */
export interface TimeScale {
  timeScale: number;
  deadline: (protocolMs: number) => number;
}

/** The run at time scale 1: limits are what the spec says. */
export const REAL_TIME: TimeScale = { timeScale: 1, deadline: (ms) => ms };

/** 100 → "100 ms", 3000 → "3 s", 12500 → "12.5 s": no trailing zeros, so the text reads like the spec's. */
export function showLimit(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(3))} s`;
}

/** "4 s (60 s protocol time at --time-scale 0.05)", or "60 s" at time scale 1. */
export function limitText(protocolMs: number, t: TimeScale): string {
  const real = t.deadline(protocolMs);
  if (t.timeScale === 1 && real === protocolMs) return showLimit(protocolMs);
  return `${showLimit(real)} (${showLimit(protocolMs)} protocol time at --time-scale ${t.timeScale})`;
}
