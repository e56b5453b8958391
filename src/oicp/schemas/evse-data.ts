/**
 * EVSEData 2.3: the EVSE master data a CPO pushes (PushEvseData) and an EMP pulls (PullEvseData, paged).
 * @see OICP 2.3 CPO OpenAPI, schemas eRoamingPushEvseData and EvseDataRecord; OICP 2.3 EMP OpenAPI, schemas
 *   eRoamingPullEVSEData, eRoamingEVSEData and PullEvseDataRecord
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PATTERNS } from '../patterns.js';
import {
  ActionType,
  ChargingPoolID,
  CountryCode,
  DateTime,
  EvseID,
  GeoCoordinates,
  HotlinePhoneNumber,
  InfoText,
  OperatorID,
  Opt,
  OrNull,
  Period,
  ProviderID,
  SearchCenter,
  StringEnum,
  Text,
} from './common.js';
import {
  ACCESSIBILITY,
  ACCESSIBILITY_LOCATIONS,
  AUTHENTICATION_MODES,
  CALIBRATION_LAW_DATA_AVAILABILITY,
  CHARGING_MODES,
  DAYS,
  DELTA_TYPES,
  DYNAMIC_INFO_AVAILABLE,
  ENERGY_TYPES,
  GEO_COORDINATES_RESPONSE_FORMATS,
  PAYMENT_OPTIONS,
  PLUGS,
  POWER_TYPES,
  VALUE_ADDED_SERVICES,
} from './enums.js';
import { Page } from './paging.js';

export const Address = Type.Object({
  Country: CountryCode,
  City: Text(50, 1),
  Street: Text(100, 2),
  PostalCode: Text(10),
  HouseNum: Text(10),
  Floor: Opt(Text(5)),
  Region: Opt(Text(50)),
  ParkingFacility: Opt(Type.Boolean()),
  ParkingSpot: Opt(Text(5)),
  // Unanchored in the OpenAPI (schema AddressIso19773, TimeZone): kept as published.
  TimeZone: Opt(Type.String({ pattern: PATTERNS.TimeZone, title: 'TimeZone (UTC+hh:mm)', examples: ['UTC+01:00'] })),
});

/** OpeningTimes uses `Period` here; pricing's ProductAvailabilityTimes uses `Periods` (see pricing.ts). */
export const OpeningTimes = Type.Object({ Period: Type.Array(Period), on: StringEnum(DAYS) });

const chargingFacility = <P extends TSchema, T extends TSchema>(Power: P, PowerType: T) =>
  Type.Object({
    PowerType,
    Power,
    Voltage: Opt(Type.Integer({ minimum: 0, maximum: 999 })),
    Amperage: Opt(Type.Integer({ minimum: 0, maximum: 99 })),
    ChargingModes: Opt(Type.Array(StringEnum(CHARGING_MODES))),
  });

/** kW. The CPO OpenAPI (push) declares an integer; the EMP OpenAPI (pull) a number, which HBS may return for 3.7 kW. */
const PushPower = Type.Integer({ minimum: 0, maximum: 999 });
const PulledPower = Type.Number({ minimum: 0, maximum: 999 });

export const EnergySource = Type.Object({
  Energy: Opt(StringEnum(ENERGY_TYPES)),
  // Capped at 99 by the OpenAPI (schema EnergySource, Percentage maximum: 99): 100 % is rejected.
  Percentage: Opt(Type.Integer({ minimum: 0, maximum: 99 })),
});

const recordProperties = {
  deltaType: Opt(StringEnum(DELTA_TYPES)),
  lastUpdate: Opt(DateTime),
  EvseID,
  ChargingPoolID: Opt(ChargingPoolID),
  // The OpenAPI (schema EvseDataRecord) spells it ChargingStationId; the examples, OICP 2.3 EMP 03 Data Types and
  // live HBS use ChargingStationID.
  ChargingStationId: Opt(Text(50)),
  ChargingStationID: Opt(Text(50)),
  ChargingStationNames: Type.Array(InfoText),
  HardwareManufacturer: Opt(Text(50)),
  ChargingStationImage: Opt(Text(200)),
  SubOperatorName: Opt(Text(100)),
  Address,
  GeoCoordinates,
  DynamicPowerLevel: Opt(Type.Boolean()),
  RenewableEnergy: Type.Boolean(),
  EnergySource: Opt(Type.Array(EnergySource)),
  EnvironmentalImpact: Opt(
    Type.Object({
      CO2Emission: Opt(Type.Number({ maximum: 99999 })),
      NuclearWaste: Opt(Type.Number({ maximum: 99999 })),
    }),
  ),
  CalibrationLawDataAvailability: StringEnum(CALIBRATION_LAW_DATA_AVAILABILITY),
  AuthenticationModes: Type.Array(StringEnum(AUTHENTICATION_MODES)),
  MaxCapacity: Opt(Type.Integer()),
  PaymentOptions: Type.Array(StringEnum(PAYMENT_OPTIONS)),
  ValueAddedServices: Type.Array(StringEnum(VALUE_ADDED_SERVICES)),
  AccessibilityLocation: Opt(StringEnum(ACCESSIBILITY_LOCATIONS)),
  HotlinePhoneNumber,
  AdditionalInfo: Opt(Type.Array(InfoText)),
  ChargingStationLocationReference: Opt(Type.Array(InfoText)),
  GeoChargingPointEntrance: Opt(GeoCoordinates),
  IsOpen24Hours: Type.Boolean(),
  OpeningTimes: Opt(Type.Array(OpeningTimes)),
  HubOperatorID: Opt(OperatorID),
  ClearinghouseID: Opt(Text(20)),
  IsHubjectCompatible: Type.Boolean(),
  DynamicInfoAvailable: StringEnum(DYNAMIC_INFO_AVAILABLE),
};

/** An EVSE as a CPO pushes it. `deltaType`/`lastUpdate` are set by HBS on pulls. */
export const EvseDataRecord = Type.Object({
  ...recordProperties,
  Plugs: Type.Array(StringEnum(PLUGS)),
  ChargingFacilities: Type.Array(chargingFacility(PushPower, StringEnum(POWER_TYPES))),
  Accessibility: StringEnum(ACCESSIBILITY),
});
export type EvseDataRecord = Static<typeof EvseDataRecord>;

/**
 * An EVSE as PullEvseData returns it: the record plus its operator. Legacy `Unspecified` Plugs, Accessibility and
 * PowerType come back as `null` (OICP 2.3 Release Notes), so those three accept null here although they are required.
 */
export const EvseDataRecordPulled = Type.Object({
  ...recordProperties,
  Plugs: Type.Array(OrNull(StringEnum(PLUGS))),
  ChargingFacilities: Type.Array(chargingFacility(PulledPower, OrNull(StringEnum(POWER_TYPES)))),
  Accessibility: OrNull(StringEnum(ACCESSIBILITY)),
  OperatorID,
  OperatorName: Text(100),
});
export type EvseDataRecordPulled = Static<typeof EvseDataRecordPulled>;

export const OperatorEvseData = Type.Object({
  OperatorID,
  OperatorName: Text(100),
  EvseDataRecord: Type.Array(EvseDataRecord),
});
export type OperatorEvseData = Static<typeof OperatorEvseData>;

/** eRoamingPushEvseData. Every EvseID must belong to OperatorID or a sub-operator (else 018). */
export const PushEvseDataRequest = Type.Object({ ActionType, OperatorEvseData });
export type PushEvseDataRequest = Static<typeof PushEvseDataRequest>;

/**
 * eRoamingPullEVSEData. LastCall must not be combined with SearchCenter, CountryCodes or OperatorIds; that is a
 * business rule answered by the hub, not a schema violation (the official examples combine them).
 */
export const PullEvseDataRequest = Type.Object({
  ProviderID,
  SearchCenter: Opt(SearchCenter),
  LastCall: Opt(DateTime),
  GeoCoordinatesResponseFormat: StringEnum(GEO_COORDINATES_RESPONSE_FORMATS),
  CountryCodes: Opt(Type.Array(CountryCode)),
  // `OperatorIds`, not `OperatorIDs` as in pricing (EMP OpenAPI, schema eRoamingPullEVSEData).
  OperatorIds: Opt(Type.Array(OperatorID)),
  AuthenticationModes: Opt(Type.Array(StringEnum(AUTHENTICATION_MODES))),
  Accessibility: Opt(Type.Array(StringEnum(ACCESSIBILITY))),
  CalibrationLawDataAvailability: Opt(Type.Array(StringEnum(CALIBRATION_LAW_DATA_AVAILABILITY))),
  RenewableEnergy: Opt(Type.Boolean()),
  IsHubjectCompatible: Opt(Type.Boolean()),
  IsOpen24Hours: Opt(Type.Boolean()),
});
export type PullEvseDataRequest = Static<typeof PullEvseDataRequest>;

/** eRoamingEVSEData: a Spring-style page of pulled records. */
export const PullEvseDataResponse = Page(EvseDataRecordPulled);
export type PullEvseDataResponse = Static<typeof PullEvseDataResponse>;
