import { describe, expect, it } from 'vitest';
import { pointerTokens, toPointer, valueAt } from '../../../src/shared/json-pointer.js';

describe('JSON pointers (RFC 6901)', () => {
  it('reads a value, escapes included', () => {
    expect(valueAt({ 'a/b': { 'c~d': 1 } }, '/a~1b/c~0d')).toBe(1);
    expect(valueAt({ list: [{ id: 'x' }] }, '/list/0/id')).toBe('x');
    expect(valueAt({ a: 1 }, '')).toEqual({ a: 1 });
  });

  it('gives undefined for a missing step, a step through a scalar, or an inherited property', () => {
    expect(valueAt({ a: 1 }, '/a/b')).toBeUndefined();
    expect(valueAt({ a: null }, '/a/b')).toBeUndefined();
    expect(valueAt({}, '/constructor')).toBeUndefined();
    expect(valueAt({}, '/__proto__')).toBeUndefined();
  });

  it('splits and joins tokens as the RFC escapes them', () => {
    expect(pointerTokens('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(pointerTokens('')).toEqual([]);
    expect(pointerTokens('/')).toEqual(['']);
    expect(toPointer(['a/b', 'c~d'])).toBe('/a~1b/c~0d');
  });
});
