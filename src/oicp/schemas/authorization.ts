/**
 * Authorization 2.1: AuthorizeStart/AuthorizeStop, sent by the CPO and forwarded by HBS to the EMP.
 * @see OICP 2.3 CPO OpenAPI, schemas eRoamingAuthorizeStart/Stop and eRoamingAuthorizationStart/Stop;
 *   OICP 2.3 CPO, 02 Services and Operations, eRoamingAuthorizeStart and eRoamingAuthorizeStop
 */
import { type Static, Type } from '@sinclair/typebox';
import {
  EvseID,
  OperatorID,
  Opt,
  ProductID,
  ProviderID,
  SessionID,
  StatusCode,
  StringEnum,
  sessionFields,
} from './common.js';
import { AUTHORIZATION_STATUSES } from './enums.js';
import { Identification } from './identification.js';

const AuthorizationStatus = StringEnum(AUTHORIZATION_STATUSES);

/** eRoamingAuthorizeStart. HBS creates the SessionID; EvseID is optional but recommended. */
export const AuthorizeStartRequest = Type.Object({
  ...sessionFields,
  OperatorID,
  EvseID: Opt(EvseID),
  Identification,
  PartnerProductID: Opt(ProductID),
});
export type AuthorizeStartRequest = Static<typeof AuthorizeStartRequest>;

/** eRoamingAuthorizationStart. ProviderID is filled when authorized. */
export const AuthorizationStartResponse = Type.Object({
  ...sessionFields,
  ProviderID: Opt(ProviderID),
  AuthorizationStatus,
  StatusCode,
  AuthorizationStopIdentifications: Opt(Type.Array(Identification)),
});
export type AuthorizationStartResponse = Static<typeof AuthorizationStartResponse>;

/** eRoamingAuthorizeStop. */
export const AuthorizeStopRequest = Type.Object({
  ...sessionFields,
  SessionID,
  OperatorID,
  EvseID: Opt(EvseID),
  Identification,
});
export type AuthorizeStopRequest = Static<typeof AuthorizeStopRequest>;

/** eRoamingAuthorizationStop. */
export const AuthorizationStopResponse = Type.Object({
  ...sessionFields,
  ProviderID: Opt(ProviderID),
  AuthorizationStatus,
  StatusCode,
});
export type AuthorizationStopResponse = Static<typeof AuthorizationStopResponse>;
