/**
 * ChargingNotifications 1.1: Start, Progress, End and Error, all on one path and told apart by `Type`.
 * @see OICP 2.3 CPO OpenAPI, schemas eRoamingChargingNotificationStart/Progress/End/Error; OICP 2.3 CPO, 02
 *   Services and Operations, eRoamingChargingNotifications (Progress at most every 5 minutes)
 */
import { type Static, Type } from '@sinclair/typebox';
import {
  DateTime,
  EvseID,
  MeterValueInBetween,
  OperatorID,
  Opt,
  ProductID,
  RULE_KEYWORD,
  type RuleName,
  SessionID,
  StringEnum,
  sessionFields,
  Text,
} from './common.js';
import { ERROR_TYPES } from './enums.js';
import { Identification } from './identification.js';

const notificationFields = {
  ...sessionFields,
  SessionID,
  Identification: Opt(Identification),
  EvseID,
  // The OpenAPI requires OperatorID in all four; OICP 2.3 EMP, 02 Services and Operations marks it optional. The
  // CPO always sends it, so: required.
  OperatorID,
};

/** Energy started flowing. */
export const ChargingNotificationStart = Type.Object({
  Type: Type.Literal('Start'),
  ...notificationFields,
  ChargingStart: DateTime,
  SessionStart: Opt(DateTime),
  MeterValueStart: Opt(Type.Number()),
  PartnerProductID: Opt(ProductID),
});
export type ChargingNotificationStart = Static<typeof ChargingNotificationStart>;

/** Interim values, at least 5 min apart. ChargingDuration is in milliseconds since ChargingStart. */
export const ChargingNotificationProgress = Type.Object(
  {
    Type: Type.Literal('Progress'),
    ...notificationFields,
    ChargingStart: DateTime,
    EventOccurred: DateTime,
    ChargingDuration: Opt(Type.Integer({ minimum: 0 })),
    SessionStart: Opt(DateTime),
    ConsumedEnergyProgress: Opt(Type.Number()),
    MeterValueStart: Opt(Type.Number()),
    MeterValueInBetween: Opt(MeterValueInBetween),
    PartnerProductID: Opt(ProductID),
  },
  {
    // "At least one of ChargingDuration or ConsumedEnergyProgress" (OICP 2.3 CPO, 03 Data Types), written as
    // non-null presence.
    anyOf: [
      { required: ['ChargingDuration'], properties: { ChargingDuration: { type: 'integer' } } },
      { required: ['ConsumedEnergyProgress'], properties: { ConsumedEnergyProgress: { type: 'number' } } },
    ],
    [RULE_KEYWORD]: 'progressAmount' satisfies RuleName,
  },
);
export type ChargingNotificationProgress = Static<typeof ChargingNotificationProgress>;

/** Energy flow ended; the session may still be open (car plugged in). */
export const ChargingNotificationEnd = Type.Object({
  Type: Type.Literal('End'),
  ...notificationFields,
  ChargingStart: Opt(DateTime),
  ChargingEnd: DateTime,
  SessionStart: Opt(DateTime),
  SessionEnd: Opt(DateTime),
  ConsumedEnergy: Opt(Type.Number()),
  MeterValueStart: Opt(Type.Number()),
  MeterValueEnd: Opt(Type.Number()),
  MeterValueInBetween: Opt(MeterValueInBetween),
  PartnerProductID: Opt(ProductID),
  PenaltyTimeStart: Opt(DateTime),
});
export type ChargingNotificationEnd = Static<typeof ChargingNotificationEnd>;

export const ChargingNotificationError = Type.Object({
  Type: Type.Literal('Error'),
  ...notificationFields,
  ErrorType: StringEnum(ERROR_TYPES),
  ErrorAdditionalInfo: Opt(Text(250)),
});
export type ChargingNotificationError = Static<typeof ChargingNotificationError>;

export type ChargingNotification =
  | ChargingNotificationStart
  | ChargingNotificationProgress
  | ChargingNotificationEnd
  | ChargingNotificationError;

/**
 * The request of operation ChargingNotification. The OA's plain `oneOf` is ambiguous (a Progress body also matches
 * Start), so the branch is chosen by `Type` through ajv's `discriminator`; only that branch is validated.
 */
export const ChargingNotificationRequest = Type.Unsafe<ChargingNotification>({
  type: 'object',
  discriminator: { propertyName: 'Type' },
  oneOf: [ChargingNotificationStart, ChargingNotificationProgress, ChargingNotificationEnd, ChargingNotificationError],
});
