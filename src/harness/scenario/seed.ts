import type { HeldRecords } from '../../hub/port.js';
import type { ChargeDetailRecord, EvseDataRecord } from '../../oicp/messages.js';
import { PAGE_SIZE_MAX } from '../../oicp/operations.js';

/**
 * What a scenario's `seed` step has HBS hold: generated, valid OICP records of a virtual CPO, so that a paged pull
 * (PullEvseData, GetChargeDetailRecords) has more than one page at any page size an EMP may ask for (OICP 2.3 EMP
 * OpenAPI: at most 2000 a page). EvseIDs carry the pool `EPG`, SessionIDs the prefix `5eed…`: neither can be one of
 * the station's own. The item's teardown lets go of them again (HubPort.releaseHeld).
 */

/** Default count: more than one page at the largest page size. */
export const SEED_DEFAULT_COUNT = PAGE_SIZE_MAX + 100;

export interface SeedSpec {
  /** The virtual CPO whose records they are. */
  operatorId: string;
  operatorName: string;
  /** How many EVSE records HBS holds for PullEvseData. */
  evseData?: number;
  /** How many CDRs HBS holds for GetChargeDetailRecords of this EMP. */
  cdrs?: { providerId: string; count: number };
  now: Date;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** EvseID `<operator>*EPG<n>`: an EVSE ID of the operator (OICP EvseID pattern), in a pool no station uses. */
export function seedEvseId(operatorId: string, n: number): string {
  return `${operatorId}*EPG${pad(n, 5)}`;
}

export function seedEvseRecord(operatorId: string, n: number): EvseDataRecord {
  const lat = (52.4 + (n % 100) / 1000).toFixed(6);
  const lon = (13.3 + Math.floor(n / 100) / 1000).toFixed(6);
  return {
    EvseID: seedEvseId(operatorId, n),
    ChargingStationId: `PAGING-${pad(n, 5)}`,
    ChargingStationNames: [{ lang: 'en', value: `Paging test charge point ${n}` }],
    Address: {
      Country: 'DEU',
      City: 'Berlin',
      Street: 'Teststraße',
      PostalCode: '10178',
      HouseNum: String(1 + (n % 200)),
      TimeZone: 'UTC+01:00',
    },
    GeoCoordinates: { DecimalDegree: { Latitude: lat, Longitude: lon } },
    Plugs: ['Type 2 Outlet'],
    ChargingFacilities: [{ PowerType: 'AC_3_PHASE', Power: 22, Voltage: 230, Amperage: 32, ChargingModes: ['Mode_3'] }],
    RenewableEnergy: false,
    CalibrationLawDataAvailability: 'Local',
    AuthenticationModes: ['REMOTE'],
    PaymentOptions: ['Contract'],
    ValueAddedServices: ['None'],
    Accessibility: 'Free publicly accessible',
    HotlinePhoneNumber: '+4930123456',
    IsOpen24Hours: true,
    IsHubjectCompatible: true,
    DynamicInfoAvailable: 'false',
  } as EvseDataRecord;
}

export function seedCdr(operatorId: string, n: number, now: Date): ChargeDetailRecord {
  const end = now.getTime() - 60_000;
  const start = end - 3_600_000;
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    SessionID: `5eed0000-0000-4000-8000-${pad(n, 12)}`,
    EvseID: seedEvseId(operatorId, n),
    Identification: { RFIDMifareFamilyIdentification: { UID: `5EED${pad(n, 4)}` } },
    SessionStart: iso(start),
    ChargingStart: iso(start + 30_000),
    ChargingEnd: iso(end - 30_000),
    SessionEnd: iso(end),
    MeterValueStart: 100,
    MeterValueEnd: 110.5,
    ConsumedEnergy: 10.5,
  } as ChargeDetailRecord;
}

export function seedRecords(spec: SeedSpec): HeldRecords {
  const range = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);
  return {
    ...(spec.evseData
      ? {
          evseData: {
            operatorId: spec.operatorId,
            operatorName: spec.operatorName,
            records: range(spec.evseData).map((n) => seedEvseRecord(spec.operatorId, n)),
          },
        }
      : {}),
    ...(spec.cdrs
      ? {
          cdrs: {
            operatorId: spec.operatorId,
            providerId: spec.cdrs.providerId,
            cdrs: range(spec.cdrs.count).map((n) => seedCdr(spec.operatorId, n, spec.now)),
          },
        }
      : {}),
  };
}
