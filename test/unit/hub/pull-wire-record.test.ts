import { describe, expect, it } from 'vitest';
import { wireRecord } from '../../../src/hub/handlers/evse-data.js';
import type { EvseDataRecord } from '../../../src/oicp/messages.js';
import { evseRecord } from '../../helpers/messages.js';

const stored = (record: Record<string, unknown>) => ({
  record: record as unknown as EvseDataRecord,
  operatorId: 'DE*CPA',
  operatorName: 'Operator A',
  lastUpdate: '2026-12-03T04:00:00.000Z',
});

describe('a stored EVSE record as a pull returns it', () => {
  it('keeps the record’s keys in order, converts the coordinates in place and adds the operator, time and delta type last', () => {
    const record = evseRecord('DE*CPA*E1');
    const before = JSON.stringify(record);
    const wire = wireRecord({ ...stored(record), deltaType: 'update' }, 'Google') as unknown as Record<string, unknown>;
    expect(Object.keys(wire)).toEqual([
      ...Object.keys(record),
      'OperatorID',
      'OperatorName',
      'lastUpdate',
      'deltaType',
    ]);
    expect(wire['GeoCoordinates']).toEqual({ Google: { Coordinates: '52.521918 13.413215' } });
    expect(wire).toMatchObject({ OperatorID: 'DE*CPA', OperatorName: 'Operator A', deltaType: 'update' });
    // The store's record is shared by every pull: the copy must leave it as it was.
    expect(JSON.stringify(record)).toBe(before);
  });

  it('leaves deltaType out of a full pull', () => {
    expect(Object.keys(wireRecord(stored(evseRecord('DE*CPA*E1')), 'DecimalDegree'))).not.toContain('deltaType');
  });

  it('copies a "__proto__" key that came in JSON as a key, without giving the copy a prototype from the data', () => {
    const record = JSON.parse(
      JSON.stringify(evseRecord('DE*CPA*E1')).replace('{"EvseID"', '{"__proto__":{"polluted":true},"EvseID"'),
    );
    const wire = wireRecord(stored(record), 'DecimalDegree') as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(wire)).toBe(Object.prototype);
    expect((wire as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(wire, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(wire))).toMatchObject({ EvseID: 'DE*CPA*E1' });
    expect(JSON.stringify(wire)).toContain('"__proto__":{"polluted":true}');
  });
});
