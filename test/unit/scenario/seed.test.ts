import { describe, expect, it } from 'vitest';
import { SEED_DEFAULT_COUNT, seedRecords } from '../../../src/harness/scenario/seed.js';
import { PAGE_SIZE_MAX } from '../../../src/oicp/operations.js';
import { validateComponent } from '../../../src/oicp/validate.js';

describe('seed records', () => {
  const now = new Date('2026-12-02T08:00:00Z');
  const held = seedRecords({
    operatorId: 'DE*VCP',
    operatorName: 'Virtual CPO',
    evseData: SEED_DEFAULT_COUNT,
    cdrs: { providerId: 'DE-REM', count: SEED_DEFAULT_COUNT },
    now,
  });
  const evses = held.evseData!.records;
  const cdrs = held.cdrs!.cdrs;

  it('are more than one page at the largest page size', () => {
    expect(SEED_DEFAULT_COUNT).toBeGreaterThan(PAGE_SIZE_MAX);
    expect(evses).toHaveLength(SEED_DEFAULT_COUNT);
    expect(cdrs).toHaveLength(SEED_DEFAULT_COUNT);
  });

  it('are valid OICP EvseDataRecords and ChargeDetailRecords', () => {
    const errors = (name: 'EvseDataRecord' | 'ChargeDetailRecord', list: readonly unknown[]) =>
      list.flatMap((r, i) =>
        validateComponent(name, r)
          .filter((v) => v.severity === 'error')
          .map((v) => `${i}${v.pointer}: ${v.message}`),
      );
    expect(errors('EvseDataRecord', evses)).toEqual([]);
    expect(errors('ChargeDetailRecord', cdrs)).toEqual([]);
  });

  it('have unique IDs of the operator that no station EVSE (E0001*1 …) or HBS SessionID can be', () => {
    expect(new Set(evses.map((r) => r.EvseID)).size).toBe(evses.length);
    expect(new Set(cdrs.map((c) => c.SessionID)).size).toBe(cdrs.length);
    expect(evses.every((r) => /^DE\*VCP\*EPG\d{5}$/.test(r.EvseID))).toBe(true);
    expect(cdrs.every((c) => c.SessionID.startsWith('5eed0000-'))).toBe(true);
    // Each CDR ended before the time it is held at, so a From/To range up to now finds it.
    expect(cdrs.every((c) => Date.parse(c.SessionEnd) < now.getTime())).toBe(true);
  });
});
