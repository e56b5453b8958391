import { describe, expect, it } from 'vitest';
import {
  type Clock,
  COMPRESSED_DEADLINE_ALLOWANCE_MS,
  compressedDeadlineMs,
  createClock,
  isoNow,
} from '../../../src/shared/clock.js';

/** Waits compress with the time scale; deadlines on another party's answer compress too, with room for real work. */

describe('Clock', () => {
  it('scales waits by the time scale, whatever their length', () => {
    const clock = createClock(0.02);
    expect(clock.scale(60_000)).toBe(1200);
    expect(clock.scale(10_000)).toBe(200);
    expect(clock.scale(1000)).toBe(20);
  });

  it('at time scale 1, a deadline is the protocol one, short or long', () => {
    const clock = createClock(1);
    expect(clock.deadline(60_000)).toBe(60_000);
    expect(clock.deadline(200)).toBe(200);
  });

  it('compressed, a deadline is the scaled time plus the allowance for real work, never more than the protocol one', () => {
    expect(COMPRESSED_DEADLINE_ALLOWANCE_MS).toBe(1000);
    const clock = createClock(0.02);
    expect(clock.deadline(60_000)).toBe(2200);
    expect(clock.deadline(10_000)).toBe(1200);
    expect(createClock(0.001).deadline(60_000)).toBe(1060);
    // A deadline shorter than the allowance (a test's 300 ms hub timeout) is not lengthened past itself.
    expect(clock.deadline(300)).toBe(300);
    expect(createClock(0.5).deadline(1500)).toBe(1500);
    expect(compressedDeadlineMs(10_000, 1)).toBe(10_000);
  });

  it('keeps distinct protocol limits distinct at every scale: 15 s of processing misses a 10 s limit', () => {
    for (const scale of [0.001, 0.02, 0.04, 0.5, 1]) {
      expect(compressedDeadlineMs(15_000, scale)).toBeGreaterThan(compressedDeadlineMs(10_000, scale));
      expect(compressedDeadlineMs(70_000, scale)).toBeGreaterThan(compressedDeadlineMs(60_000, scale));
    }
  });

  it('busy takes the real time the deadlines count for it; sleep the scaled time', async () => {
    const clock = createClock(0.001);
    const t0 = performance.now();
    await clock.sleep(50_000);
    const slept = performance.now() - t0;
    await clock.busy(200);
    const busy = performance.now() - t0 - slept;
    // 50 protocol s at 1/1000 is a 50 ms wait; 200 protocol ms of work is 200 ms, whatever the scale.
    expect(slept).toBeGreaterThanOrEqual(49);
    expect(slept).toBeLessThan(busy);
    expect(busy).toBeGreaterThanOrEqual(199);
  });

  it('busy and sleep end early, rejecting, when their signal aborts', async () => {
    const clock = createClock(1);
    const aborted = new AbortController();
    const waits = [clock.busy(60_000, aborted.signal), clock.sleep(60_000, aborted.signal)];
    aborted.abort(new Error('closed'));
    for (const w of waits) await expect(w).rejects.toThrow('closed');
  });

  it('refuses a time scale that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createClock(bad)).toThrow(RangeError);
    }
  });
});

describe('isoNow', () => {
  const at = (iso: string): Clock => ({ ...createClock(), now: () => new Date(iso) });

  it("gives each clock's own time, though the last text is reused within a millisecond", () => {
    const a = at('2026-12-03T10:00:00.123Z');
    const b = at('2026-12-03T10:00:00.124Z');
    expect(isoNow(a)).toBe('2026-12-03T10:00:00.123Z');
    expect(isoNow(a)).toBe('2026-12-03T10:00:00.123Z');
    expect(isoNow(b)).toBe('2026-12-03T10:00:00.124Z');
    expect(isoNow(a)).toBe('2026-12-03T10:00:00.123Z');
  });

  it('fails on an invalid time as toISOString does', () => {
    expect(() => isoNow(at('not a date'))).toThrow(RangeError);
  });
});
