import { describe, expect, it } from 'vitest';
import { copyOwnProperties } from '../../../src/shared/own-properties.js';

describe('copyOwnProperties', () => {
  it('copies own properties in order through the map, leaving the source and inherited ones alone', () => {
    const source = Object.assign(Object.create({ inherited: 1 }), { b: 2, a: { n: 1 } }) as Record<string, unknown>;
    const copy = copyOwnProperties(source, (v) => (typeof v === 'number' ? v * 10 : v));
    expect(Object.keys(copy)).toEqual(['b', 'a']);
    expect(copy).toEqual({ b: 20, a: { n: 1 } });
    expect(copy['a']).toBe(source['a']);
    expect(source['b']).toBe(2);
  });

  it('keeps a JSON "__proto__" key as a key, never as the copy’s prototype', () => {
    const source = JSON.parse('{"__proto__":{"polluted":true},"x":1}') as Record<string, unknown>;
    const copy = copyOwnProperties(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"x":1}');
  });
});
