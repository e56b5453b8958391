/**
 * Remote authorization (Authorization 2.1): the EMP starts/stops a session through HBS, which forwards to the CPO.
 * @see DIGEST.md sections e (AuthorizeRemoteStart, AuthorizeRemoteStop), f (remote start checks)
 */
import { Type, type Static } from '@sinclair/typebox';
import { EvseID, Opt, ProductID, ProviderID, SessionID, sessionFields } from './common.js';
import { Identification } from './identification.js';

/**
 * eRoamingAuthorizeRemoteStart. The OA requires SessionID, but S-EMP-02 says the EMP should not fill it on its leg
 * and HBS adds it on the leg to the CPO. One schema serves both legs, so SessionID is optional here; "present on the
 * forwarded leg" is checked where the leg is known.
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
