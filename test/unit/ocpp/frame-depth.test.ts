import { describe, expect, it } from 'vitest';
import { FrameLog } from '../../../src/ocpp/frames.js';
import { MAX_JSON_DEPTH } from '../../../src/shared/json-depth.js';

describe('OCPP frame log, nesting', () => {
  it('keeps a payload nested past the JSON depth limit as a note, so the report, monitor and transcript can write it', () => {
    const log = new FrameLog();
    // 20,000 levels fit in 40 KB, under the 64 KiB kept in full, and exhaust JSON.stringify's stack.
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const frame = log.add('CP-1', 'csms→cp', `[2,"m1","DataTransfer",${deep}]`);
    expect(frame).toMatchObject({ type: 'CALL', action: 'DataTransfer' });
    expect(frame.payload).toBe(`(payload not kept: nested more than ${MAX_JSON_DEPTH} levels deep)`);
    expect(() => JSON.stringify(log.all())).not.toThrow();
  });

  it('keeps a payload as deep as OCPP messages nest as it came', () => {
    const log = new FrameLog();
    const meterValues = {
      connectorId: 1,
      meterValue: [{ timestamp: '2026-12-02T10:00:00Z', sampledValue: [{ value: '1200', unit: 'Wh' }] }],
    };
    const frame = log.add('CP-1', 'cp→csms', JSON.stringify([2, 'm2', 'MeterValues', meterValues]));
    expect(frame.payload).toEqual(meterValues);
  });
});
