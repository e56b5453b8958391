/**
 * CDR 2.2: the CPO's ChargeDetailRecord (forwarded to online EMPs) and GetChargeDetailRecords (paged, EMP pull).
 * @see OICP 2.3 CPO OpenAPI, schema eRoamingChargeDetailRecord; OICP 2.3 EMP OpenAPI, schemas
 *   eRoamingGetChargeDetailRecords and eRoamingChargeDetailRecords; OICP 2.3 CPO, 03 Data Types, ChargeDetailRecord
 */
import { type Static, Type } from '@sinclair/typebox';
import {
  DateTime,
  EvseID,
  MeterValueInBetween,
  OperatorID,
  Opt,
  ProductID,
  ProviderID,
  SessionID,
  StringEnum,
  sessionFields,
  Text,
} from './common.js';
import { METERING_STATUSES } from './enums.js';
import { Identification } from './identification.js';
import { Page } from './paging.js';

export const SignedMeteringValue = Type.Object({
  SignedMeteringValue: Opt(Text(3000)),
  MeteringStatus: Opt(StringEnum(METERING_STATUSES)),
});

export const CalibrationLawVerificationInfo = Type.Object({
  CalibrationLawCertificateID: Opt(Text(100)),
  PublicKey: Opt(Text(1000)),
  MeteringSignatureUrl: Opt(Text(200)),
  MeteringSignatureEncodingFormat: Opt(Text(50)),
  SignedMeteringValuesVerificationInstruction: Opt(Text(400)),
});

/**
 * eRoamingChargeDetailRecord. Energy in kWh. SessionStart ≤ ChargingStart ≤ ChargingEnd ≤ SessionEnd follows from
 * the definitions but is not a written rule (the official examples break it), so the schema does not check it.
 */
export const ChargeDetailRecord = Type.Object({
  ...sessionFields,
  SessionID,
  PartnerProductID: Opt(ProductID),
  EvseID,
  Identification,
  ChargingStart: DateTime,
  ChargingEnd: DateTime,
  SessionStart: DateTime,
  SessionEnd: DateTime,
  MeterValueStart: Opt(Type.Number()),
  MeterValueEnd: Opt(Type.Number()),
  MeterValueInBetween: Opt(MeterValueInBetween),
  ConsumedEnergy: Type.Number(),
  // Start, Progress1…Progress8, End: at most ten (OICP 2.3 CPO, 03 Data Types, SignedMeteringValues).
  SignedMeteringValues: Opt(Type.Array(SignedMeteringValue, { maxItems: 10 })),
  CalibrationLawVerificationInfo: Opt(CalibrationLawVerificationInfo),
  HubOperatorID: Opt(OperatorID),
  // The CPO OpenAPI and the examples spell it HubProviderID; the EMP OpenAPI (eRoamingChargeDetailRecord) HubProviderId.
  HubProviderID: Opt(ProviderID),
  HubProviderId: Opt(ProviderID),
});
export type ChargeDetailRecord = Static<typeof ChargeDetailRecord>;

/**
 * eRoamingGetChargeDetailRecords. The range selects by the time HBS received the CDRs. OperatorID is one string
 * (the array in OICP 2.3 EMP, 06 Code Snippets, eRoamingGetChargeDetailRecords is wrong).
 */
export const GetChargeDetailRecordsRequest = Type.Object({
  ProviderID,
  From: DateTime,
  To: DateTime,
  SessionID: Opt(Type.Array(SessionID)),
  OperatorID: Opt(OperatorID),
  // OICP 2.3 EMP 02 Services and Operations, the Release Notes and the examples say CDRForwarded; the EMP
  // OpenAPI schema eRoamingGetChargeDetailRecords says CDRForwarder.
  CDRForwarded: Opt(Type.Boolean()),
  CDRForwarder: Opt(Type.Boolean()),
});
export type GetChargeDetailRecordsRequest = Static<typeof GetChargeDetailRecordsRequest>;

/** eRoamingChargeDetailRecords. */
export const ChargeDetailRecordsPage = Page(ChargeDetailRecord);
export type ChargeDetailRecordsPage = Static<typeof ChargeDetailRecordsPage>;
