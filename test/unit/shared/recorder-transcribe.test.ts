import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameLog } from '../../../src/ocpp/frames.js';
import type { Exchange } from '../../../src/shared/exchange.js';
import { Recorder } from '../../../src/shared/recorder.js';

/** Lines that are not exchanges (OCPP frames) share the transcript: tagged by `kind`, in order, never in memory. */
function exchange(n: number): Exchange {
  return {
    id: `x${n}`,
    direction: 'partner→hub',
    operation: 'PushEvseStatus',
    request: { method: 'POST', url: '/p', headers: {}, body: {} },
    startedAt: '2026-12-02T10:00:00.000Z',
    durationMs: 1,
    violations: [],
  };
}

const lines = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hbs-transcribe-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Recorder.transcribe', () => {
  it('writes an OCPP frame as one line with "kind":"ocpp" first, between the exchanges in the order they came', async () => {
    const path = join(dir, 't.jsonl');
    const r = new Recorder({ transcriptPath: path });
    const frames = new FrameLog();
    frames.on('frame', (f) => r.transcribe('ocpp', f));
    r.record(exchange(1));
    frames.add('CP-1', 'cp→csms', '[2,"m1","Authorize",{"idTag":"04A1B2C3"}]', new Date('2026-12-02T10:00:01Z'));
    frames.add('CP-1', 'csms→cp', '[4,"m1","InternalError","CSMS down",{}]', new Date('2026-12-02T10:00:02Z'));
    r.record(exchange(2));
    await r.close();
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')[1]).toMatch(/^\{"kind":"ocpp","type":"CALL",/);
    expect(lines(path)).toEqual([
      expect.objectContaining({ id: 'x1', operation: 'PushEvseStatus' }),
      {
        kind: 'ocpp',
        seq: 1,
        at: '2026-12-02T10:00:01.000Z',
        chargePointId: 'CP-1',
        direction: 'cp→csms',
        type: 'CALL',
        messageId: 'm1',
        action: 'Authorize',
        payload: { idTag: '04A1B2C3' },
      },
      {
        kind: 'ocpp',
        seq: 2,
        at: '2026-12-02T10:00:02.000Z',
        chargePointId: 'CP-1',
        direction: 'csms→cp',
        type: 'CALLERROR',
        messageId: 'm1',
        action: 'Authorize',
        errorCode: 'InternalError',
        errorDescription: 'CSMS down',
        payload: {},
      },
      expect.objectContaining({ id: 'x2' }),
    ]);
    expect(lines(path).filter((l) => !('kind' in l))).toHaveLength(2);
    expect(r.size()).toBe(2);
  });

  it('keeps the line count honest when an entry cannot be serialized', async () => {
    const path = join(dir, 't.jsonl');
    const r = new Recorder({ transcriptPath: path });
    r.transcribe('ocpp', { seq: 1, payload: 10n });
    await r.close();
    expect(lines(path)).toEqual([{ kind: 'ocpp', transcriptError: expect.stringMatching(/BigInt/) }]);
  });

  it('does nothing without a transcript, after close, or once the transcript failed (reported once, not thrown)', async () => {
    const none = new Recorder();
    expect(() => none.transcribe('ocpp', { seq: 1 })).not.toThrow();
    expect(none.size()).toBe(0);

    const path = join(dir, 'closed.jsonl');
    const closed = new Recorder({ transcriptPath: path });
    closed.transcribe('ocpp', { seq: 1 });
    await closed.close();
    closed.transcribe('ocpp', { seq: 2 });
    expect(lines(path)).toEqual([{ kind: 'ocpp', seq: 1 }]);

    mkdirSync(join(dir, 'a-directory'));
    const failing = new Recorder({ transcriptPath: join(dir, 'a-directory') });
    failing.transcribe('ocpp', { seq: 1 });
    await vi.waitFor(() => expect(failing.transcriptError()).toContain('a-directory'));
    expect(() => failing.transcribe('ocpp', { seq: 2 })).not.toThrow();
    await failing.close();
  });
});
