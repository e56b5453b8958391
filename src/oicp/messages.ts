/**
 * The OICP 2.3 message model: for every OperationId, the JSON Schema of its request and response (MESSAGES) and the
 * matching TypeScript types (OperationMessages, RequestOf, ResponseOf). Each message is defined once with TypeBox in
 * `schemas/`, so schema and type cannot drift.
 * @see OICP 2.3 CPO OpenAPI and OICP 2.3 EMP OpenAPI (request and response schemas per operation)
 */
import type { TSchema } from '@sinclair/typebox';
import type { OperationId } from './operations.js';
import { PushAuthenticationDataRequest } from './schemas/auth-data.js';
import {
  AuthorizationStartResponse,
  AuthorizationStopResponse,
  AuthorizeStartRequest,
  AuthorizeStopRequest,
} from './schemas/authorization.js';
import { ChargeDetailRecord, ChargeDetailRecordsPage, GetChargeDetailRecordsRequest } from './schemas/cdr.js';
import { Acknowledgement } from './schemas/common.js';
import { PullEvseDataRequest, PullEvseDataResponse, PushEvseDataRequest } from './schemas/evse-data.js';
import {
  EvseStatusByIdResponse,
  EvseStatusResponse,
  PullEvseStatusByIdRequest,
  PullEvseStatusByOperatorIdRequest,
  PullEvseStatusRequest,
  PushEvseStatusRequest,
} from './schemas/evse-status.js';
import { type ChargingNotification, ChargingNotificationRequest } from './schemas/notifications.js';
import {
  PullEVSEPricingRequest,
  PullEVSEPricingResponse,
  PullPricingProductDataRequest,
  PullPricingProductDataResponse,
  PushEVSEPricingRequest,
  PushPricingProductDataRequest,
} from './schemas/pricing.js';
import { AuthorizeRemoteStartRequest, AuthorizeRemoteStopRequest } from './schemas/remote.js';
import {
  AuthorizeRemoteReservationStartRequest,
  AuthorizeRemoteReservationStopRequest,
} from './schemas/reservation.js';

export * from './schemas/auth-data.js';
export * from './schemas/authorization.js';
export * from './schemas/cdr.js';
export { Acknowledgement, ActionType, GeoCoordinates, Opt, OrNull, StatusCode, StringEnum } from './schemas/common.js';
export * from './schemas/enums.js';
export * from './schemas/evse-data.js';
export * from './schemas/evse-status.js';
export * from './schemas/identification.js';
export * from './schemas/notifications.js';
export { Page, Pageable, type PageOf } from './schemas/paging.js';
export * from './schemas/pricing.js';
export * from './schemas/remote.js';
export * from './schemas/reservation.js';

/** Request and response schema of every operation; the validator compiles exactly these. */
export const MESSAGES = Object.freeze({
  AuthorizeStart: { request: AuthorizeStartRequest, response: AuthorizationStartResponse },
  AuthorizeStop: { request: AuthorizeStopRequest, response: AuthorizationStopResponse },
  AuthorizeRemoteStart: { request: AuthorizeRemoteStartRequest, response: Acknowledgement },
  AuthorizeRemoteStop: { request: AuthorizeRemoteStopRequest, response: Acknowledgement },
  ChargeDetailRecord: { request: ChargeDetailRecord, response: Acknowledgement },
  GetChargeDetailRecords: { request: GetChargeDetailRecordsRequest, response: ChargeDetailRecordsPage },
  AuthorizeRemoteReservationStart: { request: AuthorizeRemoteReservationStartRequest, response: Acknowledgement },
  AuthorizeRemoteReservationStop: { request: AuthorizeRemoteReservationStopRequest, response: Acknowledgement },
  PushEvseData: { request: PushEvseDataRequest, response: Acknowledgement },
  PullEvseData: { request: PullEvseDataRequest, response: PullEvseDataResponse },
  PushEvseStatus: { request: PushEvseStatusRequest, response: Acknowledgement },
  PullEvseStatus: { request: PullEvseStatusRequest, response: EvseStatusResponse },
  PullEvseStatusById: { request: PullEvseStatusByIdRequest, response: EvseStatusByIdResponse },
  PullEvseStatusByOperatorId: { request: PullEvseStatusByOperatorIdRequest, response: EvseStatusResponse },
  PushAuthenticationData: { request: PushAuthenticationDataRequest, response: Acknowledgement },
  PushPricingProductData: { request: PushPricingProductDataRequest, response: Acknowledgement },
  PushEVSEPricing: { request: PushEVSEPricingRequest, response: Acknowledgement },
  PullPricingProductData: { request: PullPricingProductDataRequest, response: PullPricingProductDataResponse },
  PullEVSEPricing: { request: PullEVSEPricingRequest, response: PullEVSEPricingResponse },
  ChargingNotification: { request: ChargingNotificationRequest, response: Acknowledgement },
} as const satisfies { readonly [O in OperationId]: { readonly request: TSchema; readonly response: TSchema } });

/** The TypeScript side of MESSAGES, one entry per OperationId. */
export interface OperationMessages {
  AuthorizeStart: { request: AuthorizeStartRequest; response: AuthorizationStartResponse };
  AuthorizeStop: { request: AuthorizeStopRequest; response: AuthorizationStopResponse };
  AuthorizeRemoteStart: { request: AuthorizeRemoteStartRequest; response: Acknowledgement };
  AuthorizeRemoteStop: { request: AuthorizeRemoteStopRequest; response: Acknowledgement };
  ChargeDetailRecord: { request: ChargeDetailRecord; response: Acknowledgement };
  GetChargeDetailRecords: { request: GetChargeDetailRecordsRequest; response: ChargeDetailRecordsPage };
  AuthorizeRemoteReservationStart: { request: AuthorizeRemoteReservationStartRequest; response: Acknowledgement };
  AuthorizeRemoteReservationStop: { request: AuthorizeRemoteReservationStopRequest; response: Acknowledgement };
  PushEvseData: { request: PushEvseDataRequest; response: Acknowledgement };
  PullEvseData: { request: PullEvseDataRequest; response: PullEvseDataResponse };
  PushEvseStatus: { request: PushEvseStatusRequest; response: Acknowledgement };
  PullEvseStatus: { request: PullEvseStatusRequest; response: EvseStatusResponse };
  PullEvseStatusById: { request: PullEvseStatusByIdRequest; response: EvseStatusByIdResponse };
  PullEvseStatusByOperatorId: { request: PullEvseStatusByOperatorIdRequest; response: EvseStatusResponse };
  PushAuthenticationData: { request: PushAuthenticationDataRequest; response: Acknowledgement };
  PushPricingProductData: { request: PushPricingProductDataRequest; response: Acknowledgement };
  PushEVSEPricing: { request: PushEVSEPricingRequest; response: Acknowledgement };
  PullPricingProductData: { request: PullPricingProductDataRequest; response: PullPricingProductDataResponse };
  PullEVSEPricing: { request: PullEVSEPricingRequest; response: PullEVSEPricingResponse };
  ChargingNotification: { request: ChargingNotification; response: Acknowledgement };
}

export type RequestOf<O extends OperationId> = OperationMessages[O]['request'];
export type ResponseOf<O extends OperationId> = OperationMessages[O]['response'];
