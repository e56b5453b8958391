/**
 * AuthenticationData 2.1: an offline EMP uploads the identifications HBS may authorize on its behalf.
 * @see OICP 2.3 EMP OpenAPI, schema eRoamingPushAuthenticationData and operation eRoamingPushAuthenticationData_V2.1
 *   (ActionType); OICP 2.3 EMP, 02 Services and Operations, eRoamingPushAuthenticationData
 */
import { type Static, Type } from '@sinclair/typebox';
import { ActionType, ProviderID } from './common.js';
import { Identification } from './identification.js';

export const AuthenticationDataRecord = Type.Object({ Identification });

/** Every EvcoID must belong to ProviderID or a sub-provider (else 019); clear PINs are bcrypt-hashed by HBS. */
export const ProviderAuthenticationData = Type.Object({
  ProviderID,
  AuthenticationDataRecord: Type.Array(AuthenticationDataRecord),
});

/** eRoamingPushAuthenticationData. */
export const PushAuthenticationDataRequest = Type.Object({ ActionType, ProviderAuthenticationData });
export type PushAuthenticationDataRequest = Static<typeof PushAuthenticationDataRequest>;
