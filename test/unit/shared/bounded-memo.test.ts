import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../../src/shared/bounded-memo.js';

describe('BoundedMemo', () => {
  it('works a key out once, including an answer that is undefined', () => {
    const memo = new BoundedMemo<string, number | undefined>(8);
    let calls = 0;
    const compute = (k: string) => {
      calls++;
      return k === 'none' ? undefined : k.length;
    };
    expect([
      memo.get('abc', compute),
      memo.get('abc', compute),
      memo.get('none', compute),
      memo.get('none', compute),
    ]).toEqual([3, 3, undefined, undefined]);
    expect(calls).toBe(2);
  });

  it('keeps nothing when the computation throws, so the next call tries again', () => {
    const memo = new BoundedMemo<string, number>(8);
    let fail = true;
    const compute = () => {
      if (fail) throw new Error('bad');
      return 1;
    };
    expect(() => memo.get('k', compute)).toThrow('bad');
    fail = false;
    expect(memo.get('k', compute)).toBe(1);
  });

  it('starts again past its bound instead of growing', () => {
    const memo = new BoundedMemo<number, number>(3);
    let calls = 0;
    const compute = (k: number) => {
      calls++;
      return k * 2;
    };
    for (const k of [1, 2, 3, 4]) memo.get(k, compute); // the 4th clears the three before it
    expect(calls).toBe(4);
    memo.get(4, compute);
    expect(calls).toBe(4);
    memo.get(1, compute);
    expect(calls).toBe(5);
  });
});
