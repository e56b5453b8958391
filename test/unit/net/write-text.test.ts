import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type TextSink, writeText } from '../../../src/net/write-text.js';

/** A sink that takes `room` writes before it asks to wait for 'drain'. */
function sink(room: number) {
  const events = new EventEmitter();
  const writes: string[] = [];
  let ended: string | undefined;
  let free = room;
  const s: TextSink = {
    write: ((chunk: string) => {
      writes.push(chunk);
      return --free > 0;
    }) as TextSink['write'],
    end: ((chunk?: string) => {
      ended = chunk ?? '';
      return s;
    }) as unknown as TextSink['end'],
    once: ((event: string, listener: () => void) => {
      events.once(event, listener);
      return s;
    }) as TextSink['once'],
  };
  const drain = (more: number) => {
    free = more;
    events.emit('drain');
  };
  return { s, writes, drain, ended: () => ended };
}

describe('writeText', () => {
  it('ends a short text in one call', () => {
    const k = sink(10);
    writeText(k.s, 'short', 8);
    expect(k.writes).toEqual([]);
    expect(k.ended()).toBe('short');
  });

  it('writes a long text in slices and waits for drain when the sink is full', () => {
    const text = 'abcdefghijklmnopqrstuvwxyz';
    const k = sink(2);
    writeText(k.s, text, 4);
    // Two slices taken, the second said "full": nothing more until drain.
    expect(k.writes).toEqual(['abcd', 'efgh']);
    expect(k.ended()).toBeUndefined();
    k.drain(100);
    expect(k.writes.join('') + k.ended()).toBe(text);
    expect([...k.writes, k.ended()!].every((slice) => slice.length <= 4)).toBe(true);
  });

  it('never splits a surrogate pair between slices', () => {
    const text = 'abc😀def😀gh😀';
    const k = sink(100);
    writeText(k.s, text, 4);
    const slices = [...k.writes, k.ended()!];
    expect(slices.join('')).toBe(text);
    expect(Buffer.concat(slices.map((x) => Buffer.from(x, 'utf8')))).toEqual(Buffer.from(text, 'utf8'));
  });
});
