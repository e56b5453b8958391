import { describe, expect, it } from 'vitest';
import { seedEvseRecord } from '../../../src/harness/scenario/seed.js';
import { EvseDataStore } from '../../../src/hub/state/evse-data.js';

describe('EVSE records HBS holds for a seed step', () => {
  const at = new Date('2026-12-02T08:00:00Z');
  const records = [1, 2, 3].map((n) => seedEvseRecord('DE*VCP', n));

  it('are served like pushed ones but leave no trace in the LastCall history, held or released', () => {
    const store = new EvseDataStore();
    store.hold('DE*VCP', 'Virtual CPO', records, at.toISOString());
    expect(store.all().map((s) => s.record.EvseID)).toEqual(['DE*VCP*EPG00001', 'DE*VCP*EPG00002', 'DE*VCP*EPG00003']);
    expect(store.get('de*vcp*epg00002')?.operatorId).toBe('DE*VCP');
    expect(store.changedSince(0)).toEqual([]);
    store.release(records.map((r) => r.EvseID));
    expect(store.all()).toEqual([]);
    expect(store.changedSince(0)).toEqual([]);
  });

  it('refuses an EvseID HBS already holds, holding none of the batch', () => {
    const store = new EvseDataStore();
    store.apply('DE*VCP', 'Virtual CPO', 'fullLoad', [records[1]!], at);
    expect(() => store.hold('DE*VCP', 'Virtual CPO', records, at.toISOString())).toThrow(/DE\*VCP\*EPG00002/);
    expect(store.all()).toHaveLength(1);
  });
});
