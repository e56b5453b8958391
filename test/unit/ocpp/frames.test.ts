import { describe, expect, it } from 'vitest';
import {
  FrameLog,
  MAX_FRAME_NAME,
  MAX_KEPT_FRAME_TEXT,
  MAX_MALFORMED_TEXT,
  parseFrame,
} from '../../../src/ocpp/frames.js';

describe('OCPP-J frames', () => {
  it('reads CALL, CALLRESULT and CALLERROR', () => {
    expect(parseFrame('[2,"m1","Heartbeat",{}]')).toEqual({
      type: 'CALL',
      messageId: 'm1',
      action: 'Heartbeat',
      payload: {},
    });
    expect(parseFrame('[3,"m1",{"currentTime":"2026-12-02T10:00:00Z"}]')).toEqual({
      type: 'CALLRESULT',
      messageId: 'm1',
      payload: { currentTime: '2026-12-02T10:00:00Z' },
    });
    expect(parseFrame('[4,"m1","NotImplemented","no such action",{}]')).toEqual({
      type: 'CALLERROR',
      messageId: 'm1',
      errorCode: 'NotImplemented',
      errorDescription: 'no such action',
      payload: {},
    });
  });

  it('keeps what is not a frame as MALFORMED text, cut to a bound', () => {
    expect(parseFrame('not json')).toEqual({ type: 'MALFORMED', text: 'not json' });
    expect(parseFrame('{"a":1}')).toMatchObject({ type: 'MALFORMED' });
    expect(parseFrame('[9,"m2"]')).toMatchObject({ type: 'MALFORMED', messageId: 'm2' });
    expect(parseFrame('[2,"m3",42]')).toMatchObject({ type: 'MALFORMED' });
    expect(parseFrame(`"${'x'.repeat(5000)}`).text).toHaveLength(MAX_MALFORMED_TEXT);
  });

  it('labels an answer with the action of the CALL it answers, per charge point', () => {
    const log = new FrameLog();
    log.add('CP-1', 'cp→csms', '[2,"a","Authorize",{"idTag":"X"}]');
    log.add('CP-2', 'cp→csms', '[2,"a","Heartbeat",{}]');
    expect(log.add('CP-1', 'csms→cp', '[3,"a",{"idTagInfo":{"status":"Accepted"}}]').action).toBe('Authorize');
    expect(log.add('CP-2', 'csms→cp', '[3,"a",{"currentTime":"2026-12-02T10:00:00Z"}]').action).toBe('Heartbeat');
    // An answer nobody asked for has no action to borrow.
    expect(log.add('CP-1', 'csms→cp', '[3,"zzz",{}]').action).toBeUndefined();
  });

  it('keeps the newest frames within its bound, numbered in order, and survives a throwing listener', () => {
    const log = new FrameLog(3);
    const seen: number[] = [];
    log.on('frame', () => {
      throw new Error('a broken consumer');
    });
    log.on('frame', (f) => seen.push(f.seq));
    for (let i = 0; i < 5; i++) log.add('CP-1', 'cp→csms', `[2,"m${i}","Heartbeat",{}]`);
    expect(log.all().map((f) => f.seq)).toEqual([3, 4, 5]);
    expect(log.all(4).map((f) => f.seq)).toEqual([5]);
    expect(log.recordedCount()).toBe(5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps a big frame's type, ID and action but not its payload", () => {
    const log = new FrameLog();
    const big = `[2,"m9","DataTransfer",{"vendorId":"x","data":"${'x'.repeat(MAX_KEPT_FRAME_TEXT)}"}]`;
    expect(log.add('CP-1', 'csms→cp', big)).toMatchObject({
      type: 'CALL',
      messageId: 'm9',
      action: 'DataTransfer',
      payload: `(payload not kept: the frame had ${big.length} characters)`,
    });
  });

  it('bounds the strings a CSMS chooses: a CALLERROR of 1 MiB keeps its code and description cut, with their length', () => {
    const log = new FrameLog();
    const description = 'd'.repeat(1024 * 1024);
    const id = 'i'.repeat(5000);
    const f = log.add('CP-1', 'csms→cp', JSON.stringify([4, id, 'E'.repeat(300), description, {}]));
    expect(f.type).toBe('CALLERROR');
    expect(f.messageId).toBe(`${'i'.repeat(MAX_FRAME_NAME)}… (cut: 5000 characters)`);
    expect(f.errorCode).toBe(`${'E'.repeat(MAX_FRAME_NAME)}… (cut: 300 characters)`);
    expect(f.errorDescription).toBe(`${'d'.repeat(MAX_MALFORMED_TEXT)}… (cut: ${description.length} characters)`);
    expect(JSON.stringify(f).length).toBeLessThan(3 * MAX_MALFORMED_TEXT);
  });
});
