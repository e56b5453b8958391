import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { copyOwnProperties, copyWith } from '../../../src/shared/own-properties.js';

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

describe('copyWith', () => {
  it('gives what { ...source, ...extra } gives: the same keys in the same order, extra winning', () => {
    const source = JSON.parse('{"ProviderID":"DE-EMA","SessionID":"old","EvseID":"DE*CPA*E1"}') as Record<
      string,
      unknown
    >;
    const copy = copyWith(source, { SessionID: 'new', Extra: 1 });
    expect(Object.keys(copy)).toEqual(Object.keys({ ...source, SessionID: 'new', Extra: 1 }));
    expect(copy).toEqual({ ...source, SessionID: 'new', Extra: 1 });
    expect(source['SessionID']).toBe('old');
  });

  it('keeps a "__proto__" key of either object as a key', () => {
    const copy = copyWith(JSON.parse('{"__proto__":{"polluted":true}}') as object, { x: 1 });
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"x":1}');
  });

  it('gives copies of one shape one hidden class, where a spread that goes on gives each its own', () => {
    // V8's own test of it: natives syntax compiled into a function after the flag is set.
    setFlagsFromString('--allow-natives-syntax');
    const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    const body = (i: number) => JSON.parse(`{"ProviderID":"DE-EMA","EvseID":"DE*CPA*E${i}"}`) as object;
    const spread = (b: object, i: number) => ({ ...b, SessionID: `s${i}` });
    const spreadCopies = Array.from({ length: 50 }, (_, i) => spread(body(i), i));
    const copies = Array.from({ length: 50 }, (_, i) => copyWith(body(i), { SessionID: `s${i}` }));
    expect(sameClass(copies[48]!, copies[49]!)).toBe(true);
    // Why the helper exists, on the Node this project targets (a later V8 may share them; then it is merely tidy).
    if (process.versions.node.startsWith('20.')) expect(sameClass(spreadCopies[48]!, spreadCopies[49]!)).toBe(false);
  });
});
