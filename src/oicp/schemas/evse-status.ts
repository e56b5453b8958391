/**
 * EVSEStatus 2.1: the CPO pushes live status; the EMP pulls it in three forms that the EMP OpenAPI serves on one path
 * (plain / by EvseID / by OperatorID), each with its own OperationId here.
 * @see OICP 2.3 CPO OpenAPI, schema eRoamingPushEvseStatus; OICP 2.3 EMP OpenAPI, schemas eRoamingPullEVSEStatus,
 *   eRoamingPullEVSEStatusByID, eRoamingPullEVSEStatusByOperatorID, eRoamingEVSEStatus and eRoamingEVSEStatusByID
 */
import { type Static, Type } from '@sinclair/typebox';
import {
  ActionType,
  EvseID,
  OperatorID,
  Opt,
  ProviderID,
  SearchCenter,
  StatusCode,
  StringEnum,
  Text,
} from './common.js';
import { EVSE_STATUSES } from './enums.js';

export const EvseStatusValue = StringEnum(EVSE_STATUSES);
export type EvseStatusValue = Static<typeof EvseStatusValue>;

export const EvseStatusRecord = Type.Object({ EvseID, EvseStatus: EvseStatusValue });
export type EvseStatusRecord = Static<typeof EvseStatusRecord>;

export const OperatorEvseStatus = Type.Object({
  OperatorID,
  OperatorName: Opt(Text(100)),
  EvseStatusRecord: Type.Array(EvseStatusRecord),
});
export type OperatorEvseStatus = Static<typeof OperatorEvseStatus>;

/** eRoamingPushEvseStatus. */
export const PushEvseStatusRequest = Type.Object({ ActionType, OperatorEvseStatus });
export type PushEvseStatusRequest = Static<typeof PushEvseStatusRequest>;

/**
 * eRoamingPullEVSEStatus. The filter is spelt `EVSEStatus` (EMP OpenAPI, schema eRoamingPullEVSEStatus); the
 * official examples send `EvseStatus`.
 */
export const PullEvseStatusRequest = Type.Object({
  ProviderID,
  SearchCenter: Opt(SearchCenter),
  EVSEStatus: Opt(EvseStatusValue),
});
export type PullEvseStatusRequest = Static<typeof PullEvseStatusRequest>;

/** eRoamingPullEVSEStatusByID: at most 100 EvseIDs per call. */
export const PullEvseStatusByIdRequest = Type.Object({
  ProviderID,
  EvseID: Type.Array(EvseID, { maxItems: 100 }),
});
export type PullEvseStatusByIdRequest = Static<typeof PullEvseStatusByIdRequest>;

/** eRoamingPullEVSEStatusByOperatorID: `OperatorID` is an array here. */
export const PullEvseStatusByOperatorIdRequest = Type.Object({
  ProviderID,
  OperatorID: Type.Array(OperatorID),
});
export type PullEvseStatusByOperatorIdRequest = Static<typeof PullEvseStatusByOperatorIdRequest>;

/** eRoamingEVSEStatus, the answer to the plain and the by-operator pull. */
export const EvseStatusResponse = Type.Object({
  EvseStatuses: Type.Object({ OperatorEvseStatus: Type.Array(OperatorEvseStatus) }),
  StatusCode: Opt(StatusCode),
});
export type EvseStatusResponse = Static<typeof EvseStatusResponse>;

/** eRoamingEVSEStatusByID, the answer to the by-EvseID pull. */
export const EvseStatusByIdResponse = Type.Object({
  EVSEStatusRecords: Type.Object({ EvseStatusRecord: Type.Array(EvseStatusRecord) }),
  StatusCode: Opt(StatusCode),
});
export type EvseStatusByIdResponse = Static<typeof EvseStatusByIdResponse>;

export type PullEvseStatusVariant = 'PullEvseStatus' | 'PullEvseStatusById' | 'PullEvseStatusByOperatorId';

/**
 * Which of the three status pulls a body is, for the shared EMP OpenAPI path. Dispatches on presence (not on being
 * an array) so that a malformed `EvseID: "DE*…"` is reported by the ById schema instead of ignored by the plain one.
 * The OpenAPI's own `oneOf` cannot choose: no branch forbids the others' fields, so a ById body matches two.
 * @see OICP 2.3 EMP OpenAPI, operation eRoamingPullEvseStatus_V2.1 (request oneOf)
 */
export function pullEvseStatusVariant(body: unknown): PullEvseStatusVariant {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'PullEvseStatus';
  const fields = body as Record<string, unknown>;
  if (fields['EvseID'] !== undefined && fields['EvseID'] !== null) return 'PullEvseStatusById';
  if (fields['OperatorID'] !== undefined && fields['OperatorID'] !== null) return 'PullEvseStatusByOperatorId';
  return 'PullEvseStatus';
}
