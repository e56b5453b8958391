/**
 * Reservation 1.1: the EMP reserves an EVSE through HBS, which forwards to the CPO.
 * @see OICP 2.3 CPO OpenAPI, schemas eRoamingAuthorizeRemoteReservationStart (Duration 1–99 minutes) and
 *   eRoamingAuthorizeRemoteReservationStop
 */
import { type Static, Type } from '@sinclair/typebox';
import { EvseID, Opt, PartnerSessionID, ProductID, ProviderID, SessionID } from './common.js';
import { Identification } from './identification.js';

const reservationSessionFields = {
  SessionID: Opt(SessionID),
  CPOPartnerSessionID: Opt(PartnerSessionID),
  // The OA property is EMPPartnerSessionId; every other message and the official examples use EMPPartnerSessionID.
  EMPPartnerSessionID: Opt(PartnerSessionID),
  EMPPartnerSessionId: Opt(PartnerSessionID),
};

/** eRoamingAuthorizeRemoteReservationStart. Duration in minutes; PartnerProductID names the reservation product. */
export const AuthorizeRemoteReservationStartRequest = Type.Object({
  ...reservationSessionFields,
  ProviderID,
  EvseID,
  Identification,
  PartnerProductID: Opt(ProductID),
  Duration: Opt(Type.Integer({ minimum: 1, maximum: 99 })),
});
export type AuthorizeRemoteReservationStartRequest = Static<typeof AuthorizeRemoteReservationStartRequest>;

/** eRoamingAuthorizeRemoteReservationStop. */
export const AuthorizeRemoteReservationStopRequest = Type.Object({
  ...reservationSessionFields,
  SessionID,
  ProviderID,
  EvseID,
});
export type AuthorizeRemoteReservationStopRequest = Static<typeof AuthorizeRemoteReservationStopRequest>;
