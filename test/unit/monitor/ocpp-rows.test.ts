import { describe, expect, it } from 'vitest';
import { frameWithPair, listFrames, SUMMARY_CHARS, toFrameRow } from '../../../src/monitor/ocpp-rows.js';
import { FrameLog } from '../../../src/ocpp/frames.js';

/** The OCPP list pages by seq as the exchange list does, and a frame's detail finds the other half of its call. */
function logOf(count: number, maxFrames?: number): FrameLog {
  const log = new FrameLog(maxFrames);
  for (let i = 1; i <= count; i++) log.add('CP-1', 'cp→csms', `[2,"m${i}","Heartbeat",{}]`);
  return log;
}
const seqs = (page: { items: { seq: number }[] }): number[] => page.items.map((r) => r.seq);

describe('OCPP frame rows', () => {
  it('show a payload, a CALLERROR description or a MALFORMED text, cut to a bound', () => {
    const log = new FrameLog();
    const call = log.add(
      'CP-1',
      'cp→csms',
      '[2,"m1","Authorize",{"idTag":"04A1B2C3"}]',
      new Date('2026-12-02T10:00:00Z'),
    );
    expect(toFrameRow(call)).toEqual({
      seq: 1,
      at: '2026-12-02T10:00:00.000Z',
      chargePointId: 'CP-1',
      direction: 'cp→csms',
      type: 'CALL',
      messageId: 'm1',
      action: 'Authorize',
      errorCode: null,
      summary: '{"idTag":"04A1B2C3"}',
    });
    const error = toFrameRow(log.add('CP-1', 'csms→cp', '[4,"m1","InternalError","CSMS down",{}]'));
    expect(error).toMatchObject({
      type: 'CALLERROR',
      action: 'Authorize',
      errorCode: 'InternalError',
      summary: 'CSMS down',
    });
    const malformed = toFrameRow(log.add('CP-1', 'csms→cp', `not json ${'x'.repeat(500)}`));
    expect(malformed).toMatchObject({ type: 'MALFORMED', messageId: null, action: null });
    expect(malformed.summary).toHaveLength(SUMMARY_CHARS);
    expect(malformed.summary.endsWith('…')).toBe(true);
    const big = toFrameRow(
      log.add('CP-1', 'cp→csms', `[2,"${'i'.repeat(5000)}","DataTransfer",{"data":"${'d'.repeat(5000)}"}]`),
    );
    expect(big.messageId!.length).toBeLessThanOrEqual(100);
    expect(big.summary.length).toBe(SUMMARY_CHARS);
    expect(toFrameRow(log.add('CP-1', 'csms→cp', '[3,"nobody-asked"]')).summary).toBe('');
  });
});

describe('OCPP frame pages', () => {
  it('gives the newest page first, then older pages by `before` and back by `after`, each frame once', () => {
    const log = logOf(250);
    const first = listFrames(log, { limit: 100 });
    expect(first).toMatchObject({ enabled: true, total: 250, newestSeq: 250, recorded: 250, dropped: 0, newer: null });
    expect(seqs(first)).toEqual(Array.from({ length: 100 }, (_, i) => 250 - i));
    expect(first.older).toBe(151);
    const second = listFrames(log, { limit: 100, before: first.older! });
    expect(seqs(second)[0]).toBe(150);
    const third = listFrames(log, { limit: 100, before: second.older! });
    expect(seqs(third)).toEqual(Array.from({ length: 50 }, (_, i) => 50 - i));
    expect(third.older).toBeNull();
    expect(third.newer).toBe(50);
    const back = listFrames(log, { limit: 100, after: third.newer! });
    expect(seqs(back)).toEqual(seqs(second));
    expect(back.newer).toBe(150);
    expect(seqs(listFrames(log, { limit: 100, after: back.newer! }))).toEqual(seqs(first));
  });

  it('answers `after` with the frames newer than it only (what a poller asks), empty when there is none', () => {
    const log = logOf(10);
    expect(seqs(listFrames(log, { limit: 3, after: 5 }))).toEqual([8, 7, 6]);
    expect(seqs(listFrames(log, { limit: 100, after: 8 }))).toEqual([10, 9]);
    const none = listFrames(log, { limit: 100, after: 10 });
    expect(none).toMatchObject({ items: [], older: null, newer: null, newestSeq: 10 });
    expect(seqs(listFrames(log, { limit: 100, after: 0 }))).toHaveLength(10);
  });

  it('keeps cursors right once old frames left memory, and counts them as dropped', () => {
    const log = logOf(30, 10);
    const page = listFrames(log, { limit: 4 });
    expect(page).toMatchObject({ total: 10, recorded: 10, dropped: 20, newestSeq: 30, older: 27 });
    expect(seqs(listFrames(log, { limit: 4, before: 23 }))).toEqual([22, 21]);
    expect(seqs(listFrames(log, { limit: 4, after: 3 }))).toEqual([24, 23, 22, 21]);
    expect(listFrames(new FrameLog(), { limit: 10 })).toMatchObject({ items: [], total: 0, newestSeq: 0, older: null });
  });
});

describe('OCPP frame detail', () => {
  it('pairs a CALL with its answer and an answer with its CALL, per charge point, in opposite directions', () => {
    const log = new FrameLog();
    log.add('CP-1', 'cp→csms', '[2,"a","Authorize",{"idTag":"X"}]');
    log.add('CP-2', 'cp→csms', '[2,"a","Heartbeat",{}]');
    log.add('CP-1', 'csms→cp', '[2,"a","Reset",{"type":"Soft"}]');
    log.add('CP-2', 'csms→cp', '[3,"a",{"currentTime":"2026-12-02T10:00:00Z"}]');
    log.add('CP-1', 'csms→cp', '[3,"a",{"idTagInfo":{"status":"Accepted"}}]');
    log.add('CP-1', 'cp→csms', '[3,"a",{"status":"Accepted"}]');
    expect(frameWithPair(log, 1)?.pair?.seq).toBe(5);
    expect(frameWithPair(log, 5)?.pair?.seq).toBe(1);
    expect(frameWithPair(log, 2)?.pair?.seq).toBe(4);
    expect(frameWithPair(log, 3)?.pair?.seq).toBe(6);
    expect(frameWithPair(log, 6)?.pair?.seq).toBe(3);
    log.add('CP-1', 'cp→csms', '[2,"b","StatusNotification",{}]');
    expect(frameWithPair(log, 7)).toMatchObject({ frame: { seq: 7 }, pair: null });
    expect(frameWithPair(log, 8)).toBeUndefined();
  });

  it('finds nothing for a seq that left memory', () => {
    const log = logOf(30, 10);
    expect(frameWithPair(log, 20)).toBeUndefined();
    expect(frameWithPair(log, 21)?.frame.seq).toBe(21);
  });
});
