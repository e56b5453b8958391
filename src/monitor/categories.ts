import type { OperationId } from '../oicp/operations.js';
import type { Exchange } from '../shared/exchange.js';

/**
 * The monitor's tabs, after Hubject's Process Monitor. Every operation belongs to exactly one service category;
 * `sessions` cuts across them (every exchange that carries a SessionID) and `all` is everything.
 */
export const SERVICE_CATEGORIES = [
  'authorization',
  'remote',
  'cdr',
  'evse',
  'reservation',
  'notifications',
  'pricing',
  'other',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];
export const CATEGORIES = ['all', 'sessions', ...SERVICE_CATEGORIES] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  all: 'All',
  sessions: 'Sessions',
  authorization: 'Authorization',
  remote: 'Remote start/stop',
  cdr: 'CDRs',
  evse: 'EVSE data & status',
  reservation: 'Reservation',
  notifications: 'Notifications',
  pricing: 'Dynamic pricing',
  other: 'Unmatched',
};

// A Record over OperationId, so adding an operation to the catalogue without placing it here fails the typecheck.
const BY_OPERATION: Readonly<Record<OperationId, ServiceCategory>> = {
  AuthorizeStart: 'authorization',
  AuthorizeStop: 'authorization',
  PushAuthenticationData: 'authorization',
  AuthorizeRemoteStart: 'remote',
  AuthorizeRemoteStop: 'remote',
  ChargeDetailRecord: 'cdr',
  GetChargeDetailRecords: 'cdr',
  AuthorizeRemoteReservationStart: 'reservation',
  AuthorizeRemoteReservationStop: 'reservation',
  PushEvseData: 'evse',
  PullEvseData: 'evse',
  PushEvseStatus: 'evse',
  PullEvseStatus: 'evse',
  PullEvseStatusById: 'evse',
  PullEvseStatusByOperatorId: 'evse',
  ChargingNotification: 'notifications',
  PushPricingProductData: 'pricing',
  PushEVSEPricing: 'pricing',
  PullPricingProductData: 'pricing',
  PullEVSEPricing: 'pricing',
};

/** The service tab of an operation name; unknown names (unmatched routes, 'unknown') land in `other`. */
export function categoryOf(operation: string): ServiceCategory {
  return Object.hasOwn(BY_OPERATION, operation) ? BY_OPERATION[operation as OperationId] : 'other';
}

/** The operations listed under a tab, for the page's operation picker. */
export function operationsIn(category: Category): OperationId[] {
  const all = Object.keys(BY_OPERATION) as OperationId[];
  if (category === 'all' || category === 'sessions') return all;
  return all.filter((op) => BY_OPERATION[op] === category);
}

export function inCategory(exchange: Exchange, category: Category): boolean {
  if (category === 'all') return true;
  if (category === 'sessions') return exchange.sessionId !== undefined && exchange.sessionId !== '';
  return categoryOf(exchange.operation) === category;
}

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
