import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../src/shared/exchange.js';
import { Recorder } from '../../../src/shared/recorder.js';

/**
 * The recorder keeps the newest exchanges within its bounds and gives positions that stay right as old ones leave
 * memory: a scenario that took a position before a burst of traffic must still see exactly what came after it.
 */
function exchange(n: number, bodyBytes = 0): Exchange {
  return {
    id: `x${n}`,
    direction: 'partner→hub',
    operation: 'PushEvseStatus',
    request: { method: 'POST', url: '/p', headers: {}, body: bodyBytes ? { pad: 'x'.repeat(bodyBytes) } : {} },
    startedAt: '2026-12-02T10:00:00.000Z',
    durationMs: 1,
    violations: [],
  };
}

describe('Recorder bounds and positions', () => {
  it('keeps the newest maxInMemory, counts what it dropped, and finds kept exchanges by id', () => {
    const r = new Recorder({ maxInMemory: 100 });
    for (let n = 1; n <= 5000; n++) r.record(exchange(n));
    expect(r.size()).toBe(100);
    expect(r.droppedCount()).toBe(4900);
    expect(r.recordedCount()).toBe(5000);
    expect(r.all().map((x) => x.id)).toEqual(Array.from({ length: 100 }, (_, i) => `x${4901 + i}`));
    expect(r.get('x4900')).toBeUndefined();
    expect(r.get('x4901')?.id).toBe('x4901');
    expect(r.get('x5000')?.id).toBe('x5000');
    expect(r.seqOf('x4950')).toBe(4950);
    expect(r.seqOf('x1')).toBeUndefined();
  });

  it('since(position) is what came after the position, however many older ones were dropped meanwhile', () => {
    const r = new Recorder({ maxInMemory: 50 });
    for (let n = 1; n <= 30; n++) r.record(exchange(n));
    const position = r.recordedCount();
    for (let n = 31; n <= 60; n++) r.record(exchange(n));
    // Ten older exchanges left memory; indexes into all() taken at `position` would now point ten too far.
    expect(r.droppedCount()).toBe(10);
    expect(r.since(position).map((x) => x.id)).toEqual(Array.from({ length: 30 }, (_, i) => `x${31 + i}`));
    for (let n = 61; n <= 2500; n++) r.record(exchange(n));
    // The position itself fell out of memory: what is left after it is everything in memory.
    expect(r.since(position).map((x) => x.id)).toEqual(r.all().map((x) => x.id));
    expect(r.since(r.recordedCount())).toEqual([]);
  });

  it('bounds the bytes kept, always keeps the newest, and get() agrees with all() after compaction', () => {
    const r = new Recorder({ maxInMemoryBytes: 64 * 1024 });
    for (let n = 1; n <= 3000; n++) r.record(exchange(n, 1000));
    expect(r.size()).toBeGreaterThan(30);
    expect(r.size()).toBeLessThan(70);
    const big = exchange(3001, 200 * 1024);
    r.record(big);
    expect(r.all()).toEqual([big]);
    expect(r.get('x3001')).toBe(big);
    for (let n = 3002; n <= 3010; n++) r.record(exchange(n, 10));
    expect(r.all().map((x) => x.id)).toEqual(Array.from({ length: 9 }, (_, i) => `x${3002 + i}`));
    for (const x of r.all()) expect(r.get(x.id)).toBe(x);
  });

  it('counts bodies by the wire size it is given, without serializing them, when no transcript is written', () => {
    let serialized = 0;
    const body = {
      toJSON() {
        serialized++;
        return { pad: 'x'.repeat(1000) };
      },
    };
    const r = new Recorder({ maxInMemoryBytes: 64 * 1024 });
    for (let n = 1; n <= 200; n++) {
      const x = exchange(n);
      x.request.body = body;
      x.response = { status: 200, headers: {}, body };
      r.record(x, { request: 1000, response: 1000 });
    }
    expect(serialized).toBe(0);
    // About 2 kB of bodies each: the 64 KiB budget holds some tens of them, not all 200.
    expect(r.size()).toBeGreaterThan(20);
    expect(r.size()).toBeLessThan(40);
  });

  it('measures a body it is given no size for', () => {
    const r = new Recorder({ maxInMemoryBytes: 64 * 1024 });
    for (let n = 1; n <= 200; n++) r.record(exchange(n, 2000));
    expect(r.size()).toBeGreaterThan(20);
    expect(r.size()).toBeLessThan(40);
  });
});

describe('Recorder keeps repeated strings once', () => {
  /** Heap used after a full GC, once `record` has kept 20,000 exchanges with the given user-agent header values. */
  function heapGrowth(value: (i: number) => string): number {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const r = new Recorder({ maxInMemory: 20_000, maxInMemoryBytes: 2 ** 30 });
    for (let i = 0; i < 20_000; i++) {
      const x = exchange(i);
      x.request.headers = { 'user-agent': value(i) };
      r.record(x);
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(r.size()).toBe(20_000);
    return grown;
  }

  it('holds one copy of a header value that every exchange brings its own copy of', () => {
    // The same 200 characters, a new string each time (as an HTTP parser gives them) …
    const repeated = heapGrowth(() => Buffer.from('a'.repeat(200)).toString('latin1'));
    // … against 200 characters that differ per exchange, which cannot be shared.
    const distinct = heapGrowth((i) => `${'a'.repeat(194)}${String(i).padStart(6, '0')}`);
    expect(distinct - repeated).toBeGreaterThan(20_000 * 200 * 0.6);
  });

  it('leaves the values as they were, and a frozen headers object alone', () => {
    const r = new Recorder();
    const headers = Object.freeze({ 'content-type': Buffer.from('application/json').toString('latin1') });
    const x = exchange(1);
    x.request.headers = headers;
    r.record(x);
    const y = exchange(2);
    y.request.headers = { 'content-type': 'application/json', long: 'b'.repeat(1000) };
    r.record(y);
    expect(r.get('x1')?.request.headers).toEqual({ 'content-type': 'application/json' });
    expect(r.get('x2')?.request.headers).toEqual({ 'content-type': 'application/json', long: 'b'.repeat(1000) });
  });
});
