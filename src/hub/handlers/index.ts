import type { HandlerTable } from '../context.js';
import { pushAuthenticationData } from './auth-data.js';
import { authorizeStart, authorizeStop } from './authorization.js';
import { chargeDetailRecord, getChargeDetailRecords } from './cdr.js';
import { pullEvseData, pushEvseData } from './evse-data.js';
import { pullEvseStatus, pullEvseStatusById, pullEvseStatusByOperatorId, pushEvseStatus } from './evse-status.js';
import { chargingNotification } from './notifications.js';
import { pullEvsePricing, pullPricingProductData, pushEvsePricing, pushPricingProductData } from './pricing.js';
import {
  authorizeRemoteReservationStart,
  authorizeRemoteReservationStop,
  authorizeRemoteStart,
  authorizeRemoteStop,
} from './remote.js';

/** One handler per OICP operation HBS serves; the type makes a missing one a compile error. */
export const HANDLERS: HandlerTable = {
  AuthorizeStart: authorizeStart,
  AuthorizeStop: authorizeStop,
  AuthorizeRemoteStart: authorizeRemoteStart,
  AuthorizeRemoteStop: authorizeRemoteStop,
  AuthorizeRemoteReservationStart: authorizeRemoteReservationStart,
  AuthorizeRemoteReservationStop: authorizeRemoteReservationStop,
  ChargeDetailRecord: chargeDetailRecord,
  GetChargeDetailRecords: getChargeDetailRecords,
  PushEvseData: pushEvseData,
  PullEvseData: pullEvseData,
  PushEvseStatus: pushEvseStatus,
  PullEvseStatus: pullEvseStatus,
  PullEvseStatusById: pullEvseStatusById,
  PullEvseStatusByOperatorId: pullEvseStatusByOperatorId,
  PushAuthenticationData: pushAuthenticationData,
  PushPricingProductData: pushPricingProductData,
  PushEVSEPricing: pushEvsePricing,
  PullPricingProductData: pullPricingProductData,
  PullEVSEPricing: pullEvsePricing,
  ChargingNotification: chargingNotification,
};
