import { describe, expect, it } from 'vitest';
import type { VirtualCustomer } from '../../../src/config/world/types.js';
import { validateMessage } from '../../../src/oicp/validate.js';
import { decide } from '../../../src/partners/emp/authorize.js';
import { FaultBook, parseFaultSpec } from '../../../src/partners/kit/faults.js';
import { meterAt, sessionPowerKw } from '../../../src/partners/station/meter.js';
import {
  endNotification,
  progressNotification,
  reservationCdr,
  type StationSession,
  sessionCdr,
  startNotification,
} from '../../../src/partners/station/session.js';
import {
  assertTransition,
  canTransition,
  STATION_STATUSES,
  TRANSITIONS,
} from '../../../src/partners/station/status.js';

describe('EVSE status transition table', () => {
  it('never lets a broken EVSE jump to charging, and every state can reach Available', () => {
    expect(canTransition('OutOfService', 'Occupied')).toBe(false);
    expect(canTransition('Reserved', 'Occupied')).toBe(true);
    for (const s of STATION_STATUSES) if (s !== 'Available') expect(TRANSITIONS[s]).toContain('Available');
    expect(() => assertTransition('DE*X*E1', 'OutOfService', 'Reserved')).toThrow(
      /from OutOfService it may go to Available, Unknown/,
    );
    expect(() => assertTransition('DE*X*E1', 'Occupied', 'Occupied')).not.toThrow();
  });
});

describe('meter and session messages', () => {
  const session = (): StationSession => ({
    SessionID: 'b2688855-7f00-0002-6d8e-48d883f6abb6',
    CPOPartnerSessionID: 'cpo-1',
    EMPPartnerSessionID: 'emp-1',
    evseId: 'DE*VCP*E0001*1',
    origin: 'remote',
    identification: { RemoteIdentification: { EvcoID: 'DE-VEM-C00000001-1' } },
    providerId: 'DE-VEM',
    powerKw: 11,
    sessionStart: new Date('2026-11-22T10:00:00Z'),
    chargingStart: new Date('2026-11-22T10:00:30Z'),
    chargingEnd: new Date('2026-11-22T11:30:30Z'),
    sessionEnd: new Date('2026-11-22T11:31:00Z'),
    meterStart: 1000,
    meterEnd: meterAt(1000, 11, Date.parse('2026-11-22T10:00:30Z'), Date.parse('2026-11-22T11:30:30Z')),
    meterInBetween: [1005.5, 1011],
    phase: 'ended',
    timers: new AbortController(),
  });

  it("power is the car's limit capped by the EVSE; energy is power × wall-clock hours", () => {
    expect(sessionPowerKw({ ChargingFacilities: [{ Power: 22 }] }, 11)).toBe(11);
    expect(sessionPowerKw({ ChargingFacilities: [{ Power: 3 }, { Power: 7 }] }, 11)).toBe(7);
    expect(meterAt(1000, 11, 0, 5_400_000)).toBe(1016.5);
  });

  it('the CDR is consistent and every message validates against the OICP model', () => {
    const s = session();
    const who = { OperatorID: 'DE*VCP' };
    const cdr = sessionCdr(s, who);
    expect(cdr).toMatchObject({
      SessionID: s.SessionID,
      MeterValueStart: 1000,
      MeterValueEnd: 1016.5,
      ConsumedEnergy: 16.5,
      HubProviderID: 'DE-VEM',
    });
    expect(validateMessage('ChargeDetailRecord', 'request', cdr)).toEqual([]);
    const progress = progressNotification(s, who, new Date('2026-11-22T10:05:30Z'), 1000.917);
    expect(progress).toMatchObject({ ChargingDuration: 300_000, ConsumedEnergyProgress: 0.917 });
    for (const n of [startNotification(s, who), progress, endNotification(s, who)]) {
      expect(validateMessage('ChargingNotification', 'request', n)).toEqual([]);
    }
    const r = reservationCdr(
      { ...s, start: s.sessionStart, end: s.sessionEnd!, timers: new AbortController(), providerId: 'DE-VEM' },
      who,
      1000,
    );
    expect(r).toMatchObject({ ConsumedEnergy: 0, ChargingStart: r.SessionEnd });
    expect(validateMessage('ChargeDetailRecord', 'request', r)).toEqual([]);
  });
});

describe('virtual EMP authorization decision', () => {
  const customers: VirtualCustomer[] = [
    { name: 'Alice', evcoId: 'DE-VEM-C00000001-1', uid: '04A1B2C3D4E5F6', pin: '2468', blocked: false },
    { name: 'Carol', uid: '0BADCAFE', blocked: true },
  ];
  it('authorizes by card or contract, case-insensitively, and refuses with the code of the medium', () => {
    expect(decide(customers, { RFIDMifareFamilyIdentification: { UID: '04a1b2c3d4e5f6' } })).toMatchObject({
      authorized: true,
      customer: { name: 'Alice' },
    });
    expect(decide(customers, { RemoteIdentification: { EvcoID: 'de-vem-c00000001-1' } })).toMatchObject({
      authorized: true,
    });
    expect(decide(customers, { RFIDMifareFamilyIdentification: { UID: '0BADCAFE' } })).toMatchObject({
      authorized: false,
      code: '102',
      info: expect.stringContaining('blocked'),
    });
    expect(decide(customers, { RFIDMifareFamilyIdentification: { UID: '11111111' } })).toMatchObject({
      authorized: false,
      code: '102',
    });
    expect(decide(customers, { QRCodeIdentification: { EvcoID: 'DE-VEM-C00000001-1', PIN: '0000' } })).toMatchObject({
      authorized: false,
      code: '101',
    });
    expect(decide(customers, { QRCodeIdentification: { EvcoID: 'DE-VEM-C00000001-1', PIN: '2468' } })).toMatchObject({
      authorized: true,
    });
    expect(decide(customers, { PlugAndChargeIdentification: { EvcoID: 'DE-VEM-C00000009-9' } })).toMatchObject({
      authorized: false,
      code: '105',
    });
  });
});

describe('faults', () => {
  it('parses with every problem named, and matches by actor, operation, EvseID and token', () => {
    expect(() => parseFaultSpec({ kind: 'reject', code: '999', times: -1, extra: 1 })).toThrow(
      expect.objectContaining({
        code: 'SIM_INPUT',
        fieldErrors: expect.arrayContaining([
          expect.objectContaining({ path: '/extra' }),
          expect.objectContaining({ path: '/code' }),
          expect.objectContaining({ path: '/times' }),
        ]),
      }),
    );
    expect(() => parseFaultSpec({ kind: 'noCdr', operation: 'ChargeDetailRecord' })).toThrow(
      expect.objectContaining({ code: 'SIM_INPUT' }),
    );
    const book = new FaultBook();
    book.arm({ kind: 'http500', actor: 'virtual-emp', operation: 'AuthorizeStart', token: '0badcafe' });
    expect(
      book.take(['http500'], { actor: 'virtual-cpo', operation: 'AuthorizeStart', tokens: ['0BADCAFE'] }),
    ).toBeUndefined();
    expect(
      book.take(['http500'], { actor: 'virtual-emp', operation: 'AuthorizeStop', tokens: ['0BADCAFE'] }),
    ).toBeUndefined();
    expect(
      book.take(['http500'], { actor: 'virtual-emp', operation: 'AuthorizeStart', tokens: ['1A2B3C4D'] }),
    ).toBeUndefined();
    expect(
      book.take(['http500'], { actor: 'virtual-emp', operation: 'AuthorizeStart', tokens: ['0BADCAFE'] })?.kind,
    ).toBe('http500');
    expect(book.list()).toEqual([]);
  });
});
