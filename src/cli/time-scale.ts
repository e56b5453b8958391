/**
 * `--time-scale`, parsed the same way by every command that takes it (run, serve, demo, reference): a preset named
 * for its purpose, or a number. The scale multiplies every protocol wait of the hub and the virtual partners (the
 * 60 s remote-start wait is 1.2 s at 0.02, and as a deadline on an answer 2.2 s: shared/clock.ts adds up to 1 s for
 * real transport and processing); the partner under test answers in real time whatever the scale.
 */
import { UsageError } from '../shared/errors.js';

/**
 * `fast`: what the demo runs at, for quick local iteration and CI smoke runs; latency and quality figures are not
 * representative (every report says so). `real`: OICP's own times, for a dry run before certification.
 */
export const TIME_SCALE_PRESETS = Object.freeze({ fast: 0.02, real: 1 });
export type TimeScalePreset = keyof typeof TIME_SCALE_PRESETS;

/**
 * At 0.01 the 10 s authorize limit is 100 ms, about what the project's own tests need on a loaded 2-core machine;
 * below that the limits drown in scheduling jitter. Above 1 is refused: HBS would hold a call longer than OICP says,
 * past the fixed HTTP timeouts of real backends (and of the reference partners), so items would fail for the
 * harness's sake, and a run slower than real time proves nothing a real-time run does not.
 */
export const TIME_SCALE_RANGE = Object.freeze({ min: 0.01, max: 1 });

/** One line for a usage text: the presets and what each is for. */
export const TIME_SCALE_PRESETS_HELP = `fast (${TIME_SCALE_PRESETS.fast}: quick local runs, CI smoke runs) or real (1: a dry run at protocol time before certification)`;

/** The value of `--time-scale` (undefined when absent) as a factor, or a usage error naming the accepted forms. */
export function parseTimeScale(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const text = value.trim().toLowerCase();
  if (Object.hasOwn(TIME_SCALE_PRESETS, text)) return TIME_SCALE_PRESETS[text as TimeScalePreset];
  // Number('') is 0 and Number('0x10') is 16: only plain decimals are taken.
  const scale = /^(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(scale >= TIME_SCALE_RANGE.min && scale <= TIME_SCALE_RANGE.max)) {
    throw new UsageError(
      `--time-scale must be ${TIME_SCALE_PRESETS_HELP}, or a number from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max}; got "${value}"`,
    );
  }
  return scale;
}
