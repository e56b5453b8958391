/**
 * OICP 2.3 enumerations, with the value lists of the official OpenAPI `src/schemas/*.yaml` (CPO and EMP agree).
 * `Unspecified` is gone from Plugs, Accessibility and PowerType since 2.3 (OICP 2.3 Release Notes), so it is not
 * listed.
 * @see OICP 2.3 CPO and EMP OpenAPI, src/schemas/*.yaml
 */

export const EVSE_STATUSES = ['Available', 'Reserved', 'Occupied', 'OutOfService', 'EvseNotFound', 'Unknown'] as const;
export const AUTHORIZATION_STATUSES = ['Authorized', 'NotAuthorized'] as const;
export const RFID_TYPES = ['mifareCls', 'mifareDes', 'calypso', 'nfc', 'mifareFamily'] as const;
export const HASH_FUNCTIONS = ['Bcrypt'] as const;
export const LEGACY_HASH_FUNCTIONS = ['MD5', 'SHA-1'] as const;
export const ACTION_TYPES = ['fullLoad', 'update', 'insert', 'delete'] as const;
export const DELTA_TYPES = ['update', 'insert', 'delete'] as const;
/** Strings, not booleans (OICP 2.3 CPO OpenAPI, schema EvseDataRecord, DynamicInfoAvailable). */
export const DYNAMIC_INFO_AVAILABLE = ['true', 'false', 'auto'] as const;
/** OICP 2.3 CPO, 03 Data Types prints `Connector Error`; the OpenAPI schemas and HBS use the unspaced form. */
export const ERROR_TYPES = ['ConnectorError', 'CriticalError'] as const;
export const NOTIFICATION_TYPES = ['Start', 'Progress', 'End', 'Error'] as const;

export const PLUGS = [
  'Small Paddle Inductive',
  'Large Paddle Inductive',
  'AVCON Connector',
  'Tesla Connector',
  'NEMA 5-20',
  'Type E French Standard',
  'Type F Schuko',
  'Type G British Standard',
  'Type J Swiss Standard',
  'Type 1 Connector (Cable Attached)',
  'Type 2 Outlet',
  'Type 2 Connector (Cable Attached)',
  'Type 3 Outlet',
  'IEC 60309 Single Phase',
  'IEC 60309 Three Phase',
  'CCS Combo 2 Plug (Cable Attached)',
  'CCS Combo 1 Plug (Cable Attached)',
  'CHAdeMO',
] as const;
export const POWER_TYPES = ['AC_1_PHASE', 'AC_3_PHASE', 'DC'] as const;
export const CHARGING_MODES = ['Mode_1', 'Mode_2', 'Mode_3', 'Mode_4', 'CHAdeMO'] as const;
export const ENERGY_TYPES = [
  'Solar',
  'Wind',
  'HydroPower',
  'GeothermalEnergy',
  'Biomass',
  'Coal',
  'NuclearEnergy',
  'Petroleum',
  'NaturalGas',
] as const;
export const CALIBRATION_LAW_DATA_AVAILABILITY = ['Local', 'External', 'Not Available'] as const;
export const AUTHENTICATION_MODES = [
  'NFC RFID Classic',
  'NFC RFID DESFire',
  'PnC',
  'REMOTE',
  'Direct Payment',
  'No Authentication Required',
] as const;
export const PAYMENT_OPTIONS = ['No Payment', 'Direct', 'Contract'] as const;
export const VALUE_ADDED_SERVICES = [
  'Reservation',
  'DynamicPricing',
  'ParkingSensors',
  'MaximumPowerCharging',
  'PredictiveChargePointUsage',
  'ChargingPlans',
  'RoofProvided',
  'None',
] as const;
export const ACCESSIBILITY = [
  'Free publicly accessible',
  'Restricted access',
  'Paying publicly accessible',
  'Test Station',
] as const;
export const ACCESSIBILITY_LOCATIONS = ['OnStreet', 'ParkingLot', 'ParkingGarage', 'UndergroundParkingGarage'] as const;
export const GEO_COORDINATES_RESPONSE_FORMATS = ['Google', 'DegreeMinuteSeconds', 'DecimalDegree'] as const;
export const DAYS = [
  'Everyday',
  'Workdays',
  'Weekend',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
export const METERING_STATUSES = ['Start', 'Progress', 'End'] as const;
/** OpenAPI schema ReferenceUnit lists these three in a table but declares no `enum`; we enforce them. */
export const REFERENCE_UNITS = ['HOUR', 'KILOWATT_HOUR', 'MINUTE'] as const;
export const ADDITIONAL_REFERENCES = ['START FEE', 'FIXED FEE', 'PARKING FEE', 'MINIMUM FEE', 'MAXIMUM FEE'] as const;

export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];
export type DeltaType = (typeof DELTA_TYPES)[number];
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
export type Plug = (typeof PLUGS)[number];
export type PowerType = (typeof POWER_TYPES)[number];
export type AuthenticationMode = (typeof AUTHENTICATION_MODES)[number];
export type Accessibility = (typeof ACCESSIBILITY)[number];
export type ReferenceUnit = (typeof REFERENCE_UNITS)[number];
