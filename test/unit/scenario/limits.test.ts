import { describe, expect, it } from 'vitest';
import { limitText, REAL_TIME } from '../../../src/harness/scenario/limits.js';

/** Limits as a verdict prints them: the time the run really gave the partner, and the protocol time it stands for. */

describe('limits as the run used them', () => {
  it('at time scale 1, the protocol time alone', () => {
    expect(limitText(60_000, REAL_TIME)).toBe('60 s');
    expect(limitText(500, REAL_TIME)).toBe('500 ms');
  });

  it('at another time scale, the real limit first and the protocol time it stands for', () => {
    const t = { timeScale: 0.05, deadline: (ms: number) => Math.round(ms * 0.05) };
    expect(limitText(60_000, t)).toBe('3 s (60 s protocol time at --time-scale 0.05)');
    expect(limitText(10_000, t)).toBe('500 ms (10 s protocol time at --time-scale 0.05)');
    expect(limitText(45_000, t)).toBe('2.25 s (45 s protocol time at --time-scale 0.05)');
  });
});
