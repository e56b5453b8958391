/**
 * EVSE data completeness: the share of the CPO's EvseDataRecords that carry every field OICP 2.3 requires, plus
 * OpeningTimes when the EVSE is not open 24 hours. Drivers see exactly these fields in EMP apps, which is why
 * Hubject scores them; the hub's schema check refuses a push that lacks one, but the figure still shows it.
 * @see OICP 2.3 CPO OpenAPI, schema EvseDataRecord (required fields; OpeningTimes when IsOpen24Hours is false)
 */
import type { QualityFigure, ReportExchange } from './model.js';

/** EvseDataRecord's mandatory fields (OICP 2.3 CPO 03, EvseDataRecordType). */
export const EVSE_MANDATORY_FIELDS = [
  'EvseID',
  'ChargingStationNames',
  'Address',
  'GeoCoordinates',
  'Plugs',
  'ChargingFacilities',
  'RenewableEnergy',
  'CalibrationLawDataAvailability',
  'AuthenticationModes',
  'PaymentOptions',
  'ValueAddedServices',
  'Accessibility',
  'HotlinePhoneNumber',
  'IsOpen24Hours',
  'IsHubjectCompatible',
  'DynamicInfoAvailable',
] as const;

type EvseRecord = Record<string, unknown>;

const isRecord = (v: unknown): v is EvseRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Absent, null, an empty string or an empty list all leave a driver without the information. */
function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The fields a record lacks, including OpeningTimes when it is not open 24 hours. */
export function missingEvseFields(record: EvseRecord): string[] {
  const missing: string[] = EVSE_MANDATORY_FIELDS.filter((f) => isMissing(record[f]));
  if (record.IsOpen24Hours === false && isMissing(record.OpeningTimes)) missing.push('OpeningTimes');
  return missing;
}

/** The last version of every EVSE the partner pushed (a later push of an EvseID replaces the earlier one). */
function pushedRecords(exchanges: readonly ReportExchange[]): EvseRecord[] {
  const byEvseId = new Map<string, EvseRecord>();
  for (const e of exchanges) {
    if (e.operation !== 'PushEvseData' || e.direction !== 'partner→hub' || !isRecord(e.request.body)) continue;
    const { ActionType, OperatorEvseData } = e.request.body;
    const records = isRecord(OperatorEvseData) ? OperatorEvseData.EvseDataRecord : undefined;
    if (!Array.isArray(records)) continue;
    records.filter(isRecord).forEach((r, i) => {
      const key = typeof r.EvseID === 'string' ? r.EvseID : `${e.id}#${i}`;
      if (ActionType === 'delete') byEvseId.delete(key);
      else byEvseId.set(key, r);
    });
  }
  return [...byEvseId.values()];
}

export function evseDataCompleteness(exchanges: readonly ReportExchange[]): QualityFigure {
  const base = {
    id: 'evseDataCompleteness',
    title: 'EVSE data completeness',
    unit: '%',
    limit: 100,
    source: 'OICP 2.3 EvseDataRecord mandatory fields, plus OpeningTimes when IsOpen24Hours is false (CPO 03)',
  } as const;
  const records = pushedRecords(exchanges);
  if (records.length === 0) return { ...base, rating: 'notMeasured', samples: 0 };
  const tally = new Map<string, number>();
  let complete = 0;
  for (const record of records) {
    const missing = missingEvseFields(record);
    if (missing.length === 0) complete += 1;
    for (const field of missing) tally.set(field, (tally.get(field) ?? 0) + 1);
  }
  const value = Math.floor((complete / records.length) * 1000) / 10;
  const worst = [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
  return {
    ...base,
    rating: complete === records.length ? 'good' : 'poor',
    value,
    samples: records.length,
    ...(worst.length > 0
      ? { note: `Missing: ${worst.map(([field, n]) => `${field} (${n} EVSE${n === 1 ? '' : 's'})`).join(', ')}.` }
      : {}),
  };
}
