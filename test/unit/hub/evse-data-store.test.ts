import { describe, expect, it } from 'vitest';
import { seedEvseRecord } from '../../../src/harness/scenario/seed.js';
import { EvseDataStore } from '../../../src/hub/state/evse-data.js';

/**
 * The store answers LastCall delta pulls from a history that does not grow with repeated fullLoads, and serves pages
 * in EvseID order without reading the other records. Every delta is the net change since LastCall, as a replay of
 * every push would give it (OICP 2.3 EMP, 02 Services and Operations, eRoamingPullEvseData: LastCall).
 */
const t = (minute: number): Date => new Date(Date.UTC(2026, 11, 2, 8, minute));
const ms = (minute: number): number => t(minute).getTime();
const rec = (n: number) => seedEvseRecord('DE*VCP', n);
const deltas = (store: EvseDataStore, sinceMinute: number) =>
  Object.fromEntries(store.changedSince(ms(sinceMinute)).map((s) => [s.record.EvseID, s.deltaType]));

describe('EvseDataStore delta history', () => {
  it('gives the net change for every LastCall across insert, updates, delete and insert again', () => {
    const store = new EvseDataStore();
    store.apply('DE*VCP', 'V', 'insert', [rec(1)], t(1));
    for (const m of [2, 3, 4]) store.apply('DE*VCP', 'V', 'update', [rec(1)], t(m));
    store.apply('DE*VCP', 'V', 'delete', [rec(1)], t(5));
    store.apply('DE*VCP', 'V', 'insert', [rec(1)], t(6));
    const id = rec(1).EvseID;
    expect(deltas(store, 0)).toEqual({ [id]: 'insert' }); // inserted, (deleted, inserted): new to this EMP
    expect(deltas(store, 1)).toEqual({ [id]: 'update' }); // known, changed
    expect(deltas(store, 3)).toEqual({ [id]: 'update' });
    expect(deltas(store, 4)).toEqual({ [id]: 'update' }); // deleted and back: changed for this EMP
    expect(deltas(store, 5)).toEqual({ [id]: 'insert' });
    expect(deltas(store, 6)).toEqual({});
  });

  it('leaves out a record inserted and deleted after LastCall, and reports a delete of a known one', () => {
    const store = new EvseDataStore();
    store.apply('DE*VCP', 'V', 'fullLoad', [rec(1), rec(2)], t(1));
    store.apply('DE*VCP', 'V', 'insert', [rec(3)], t(2));
    store.apply('DE*VCP', 'V', 'fullLoad', [rec(2)], t(3));
    expect(deltas(store, 1)).toEqual({ [rec(1).EvseID]: 'delete', [rec(2).EvseID]: 'update' });
    expect(deltas(store, 0)).toEqual({ [rec(2).EvseID]: 'insert' });
  });

  it('serves pages in EvseID order, sees records added after a page was read, and moves a record between operators', () => {
    const store = new EvseDataStore();
    store.apply('DE*VCP', 'V', 'fullLoad', [rec(3), rec(1), rec(2)], t(1));
    expect(store.sortedSlice(0, 2).map((s) => s.record.EvseID)).toEqual([rec(1).EvseID, rec(2).EvseID]);
    store.apply('DE*VCP', 'V', 'insert', [rec(0)], t(2));
    expect(store.sortedSlice(0, 2).map((s) => s.record.EvseID)).toEqual([rec(0).EvseID, rec(1).EvseID]);
    store.apply('DE*VCP', 'V', 'update', [{ ...rec(2), HotlinePhoneNumber: '+4930999' }], t(3));
    expect(store.sortedSlice(2, 1)[0]!.record.HotlinePhoneNumber).toBe('+4930999');
    expect(store.sorted()).toHaveLength(4);
    // A later fullLoad of the operator leaves out rec(0): only that one goes, the others are updated.
    const outcome = store.apply('DE*VCP', 'V', 'fullLoad', [rec(1), rec(2), rec(3)], t(4));
    expect(outcome).toEqual({ ok: true, inserted: 0, updated: 3, deleted: 1 });
    expect(store.size()).toBe(3);
  });
});

describe('EvseDataStore shared nested values', () => {
  const record = (id: string, city = 'Berlin') => ({
    ...seedEvseRecord('DE*VCP', 1),
    EvseID: id,
    Address: { Country: 'DEU', City: city, Street: 'A', PostalCode: '10178', HouseNum: '1' },
  });

  it('keeps one frozen copy of a nested value that records repeat, and each record reads as it was pushed', () => {
    const store = new EvseDataStore();
    const pushed = [record('DE*VCP*E1'), record('DE*VCP*E2'), record('DE*VCP*E3', 'Hamburg')];
    const asSent = JSON.stringify(pushed);
    store.apply('DE*VCP', 'V', 'insert', pushed, t(1));
    const [a, b, c] = pushed.map((r) => store.get(r.EvseID)!.record);
    expect(a!.Address).toBe(b!.Address);
    expect(a!.Address).not.toBe(c!.Address);
    expect(Object.isFrozen(a!.Address)).toBe(true);
    expect(() => {
      (a!.Address as { City: string }).City = 'Köln';
    }).toThrow(TypeError);
    expect(JSON.stringify([a, b, c])).toBe(asSent);
  });

  it('neither keeps nor freezes the pusher’s objects, frozen ones (a world’s) included', () => {
    const store = new EvseDataStore();
    const mine = record('DE*VCP*E1');
    store.apply('DE*VCP', 'V', 'insert', [mine], t(1));
    expect(Object.isFrozen(mine.Address)).toBe(false);
    expect(store.get('DE*VCP*E1')!.record.Address).not.toBe(mine.Address);
    mine.Address.City = 'Köln';
    expect(store.get('DE*VCP*E1')!.record.Address.City).toBe('Berlin');
    const frozen = Object.freeze(record('DE*VCP*E2'));
    store.hold('DE*VCP', 'V', [frozen], t(2).toISOString());
    expect(store.get('DE*VCP*E2')!.record).toEqual(frozen);
  });
});
