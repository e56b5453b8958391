import { describe, expect, it } from 'vitest';
import type { StoredCdr } from '../../../src/hub/state/cdrs.js';
import {
  CATEGORIES,
  categoryOf,
  inCategory,
  operationsIn,
  SERVICE_CATEGORIES,
} from '../../../src/monitor/categories.js';
import { forwardStatusOf } from '../../../src/monitor/rows.js';
import { OPERATION_IDS } from '../../../src/oicp/operations.js';
import { syntheticExchange } from './monitor-hub.js';

describe('which tab an exchange belongs to', () => {
  it('puts each OICP operation under the Process Monitor tab Hubject shows it in', () => {
    const byCategory = Object.fromEntries(SERVICE_CATEGORIES.map((c) => [c, operationsIn(c)]));
    expect(byCategory).toEqual({
      authorization: ['AuthorizeStart', 'AuthorizeStop', 'PushAuthenticationData'],
      remote: ['AuthorizeRemoteStart', 'AuthorizeRemoteStop'],
      cdr: ['ChargeDetailRecord', 'GetChargeDetailRecords'],
      evse: [
        'PushEvseData',
        'PullEvseData',
        'PushEvseStatus',
        'PullEvseStatus',
        'PullEvseStatusById',
        'PullEvseStatusByOperatorId',
      ],
      reservation: ['AuthorizeRemoteReservationStart', 'AuthorizeRemoteReservationStop'],
      notifications: ['ChargingNotification'],
      pricing: ['PushPricingProductData', 'PushEVSEPricing', 'PullPricingProductData', 'PullEVSEPricing'],
      other: [],
    });
    expect(OPERATION_IDS.every((op) => categoryOf(op) !== 'other')).toBe(true);
  });

  it('files unmatched routes and unknown names under other, and never matches inherited keys', () => {
    expect(categoryOf('unknown')).toBe('other');
    expect(categoryOf('toString')).toBe('other');
    expect(categoryOf('authorizestart')).toBe('other');
  });

  it('shows an exchange under its service tab, under All, and under Sessions only when it carries a SessionID', () => {
    const withSession = { ...syntheticExchange(1), operation: 'AuthorizeRemoteStart' };
    const without = { ...syntheticExchange(1), operation: 'PushEvseStatus', sessionId: undefined };
    expect(CATEGORIES.filter((c) => inCategory(withSession, c))).toEqual(['all', 'sessions', 'remote']);
    expect(CATEGORIES.filter((c) => inCategory(without, c))).toEqual(['all', 'evse']);
  });

  it('gives a forward status only to the accepted CDR upload and its forwarded leg', () => {
    const stored = { forwardStatus: 'NOT_FORWARDED' } as StoredCdr;
    const lookup = () => stored;
    const base = { ...syntheticExchange(2), operation: 'ChargeDetailRecord', sessionId: 's1' };
    const accepted = {
      ...base,
      direction: 'partner→hub' as const,
      response: { status: 200, headers: {}, body: { Result: true, StatusCode: { Code: '000' } } },
    };
    const refused = {
      ...accepted,
      response: { status: 200, headers: {}, body: { Result: false, StatusCode: { Code: '400' } } },
    };
    const leg = { ...base, direction: 'hub→partner' as const, response: undefined };
    expect(forwardStatusOf(accepted, lookup)).toBe('NOT_FORWARDED');
    expect(forwardStatusOf(leg, lookup)).toBe('NOT_FORWARDED');
    expect(forwardStatusOf(refused, lookup)).toBeNull();
    expect(forwardStatusOf({ ...accepted, operation: 'AuthorizeStart' }, lookup)).toBeNull();
    expect(forwardStatusOf(accepted, () => undefined)).toBeNull();
  });
});
