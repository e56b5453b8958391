/**
 * Remote authorization (Authorization 2.1): the EMP starts/stops a session through HBS, which forwards to the CPO.
 * @see OICP 2.3 CPO OpenAPI, schemas eRoamingAuthorizeRemoteStart and eRoamingAuthorizeRemoteStop; OICP 2.3 CPO,
 *   02 Services and Operations, eRoamingAuthorizeRemoteStart
 */
import { type Static, Type } from '@sinclair/typebox';
import { EvseID, Opt, ProductID, ProviderID, SessionID, sessionFields } from './common.js';
import { Identification } from './identification.js';

/**
 * eRoamingAuthorizeRemoteStart. The OpenAPI requires SessionID, but OICP 2.3 EMP, 02 Services and Operations says
 * the EMP should not fill it on its leg and HBS adds it on the leg to the CPO. One schema serves both legs, so
 * SessionID is optional here; "present on the forwarded leg" is checked where the leg is known.
 */
export const AuthorizeRemoteStartRequest = Type.Object({
  ...sessionFields,
  ProviderID,
  EvseID,
  Identification,
  PartnerProductID: Opt(ProductID),
});
export type AuthorizeRemoteStartRequest = Static<typeof AuthorizeRemoteStartRequest>;

/** eRoamingAuthorizeRemoteStop. */
export const AuthorizeRemoteStopRequest = Type.Object({
  ...sessionFields,
  SessionID,
  ProviderID,
  EvseID,
});
export type AuthorizeRemoteStopRequest = Static<typeof AuthorizeRemoteStopRequest>;
