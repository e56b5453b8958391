import type { Partner } from '../../config/world/types.js';
import { ack, negativeAnswer } from '../../oicp/answers.js';
import type { EvseDataRecord } from '../../oicp/messages.js';
import { pageWith, readPageRequest } from '../../oicp/paging.js';
import { normalizePartnerId, operatorOfEvseId, ownedIds } from '../../oicp/patterns.js';
import type { EvseDataRecordPulled } from '../../oicp/schemas/evse-data.js';
import { statusCode } from '../../oicp/status-codes.js';
import { copyOwnProperties } from '../../shared/own-properties.js';
import type { Handler } from '../context.js';
import { distanceKm, formatGeo, type GeoFormat, toLatLon } from '../geo.js';
import type { DeltaType, StoredEvse } from '../state/evse-data.js';

/**
 * EvseIDs that do not belong to the pushing operator or its sub-operators (→ 018).
 * @see OICP 2.3 CPO, 02 Services and Operations, eRoamingPushEvseData; 03 Data Types, StatusCode
 */
export function foreignEvseIds(partner: Partner, evseIds: string[]): string[] {
  const own = ownedIds(partner);
  return evseIds.filter((id) => {
    const op = operatorOfEvseId(id);
    return op === undefined || !own.has(normalizePartnerId(op));
  });
}

export const pushEvseData: Handler<'PushEvseData'> = async ({ body, partner, hub }) => {
  const data = body.OperatorEvseData;
  const records = data.EvseDataRecord as EvseDataRecord[];
  const foreign = foreignEvseIds(
    partner,
    records.map((r) => r.EvseID),
  );
  if (foreign.length > 0) {
    return { body: ack(false, '018', `EvseIDs outside ${partner.id}: ${foreign.slice(0, 20).join(', ')}`) };
  }
  const outcome = hub.state.evseData.apply(partner.id, data.OperatorName, body.ActionType, records, hub.clock.now());
  if (!outcome.ok) return { body: ack(false, '009', outcome.info) };
  return {
    body: ack(true, '000', `${outcome.inserted} inserted, ${outcome.updated} updated, ${outcome.deleted} deleted`),
  };
};

type PullRequest = Parameters<Handler<'PullEvseData'>>[0]['body'];

/**
 * Why a PullEvseData filter combination is refused, if it is.
 * @see OICP 2.3 EMP OpenAPI, schema eRoamingPullEVSEData (LastCall); OICP 2.3 EMP, 02 Services and Operations,
 *   eRoamingPullEvseData
 */
function forbiddenCombination(body: PullRequest): string | undefined {
  if (!body.LastCall) return undefined;
  const clash = [
    body.SearchCenter ? 'SearchCenter' : undefined,
    body.CountryCodes?.length ? 'CountryCodes' : undefined,
    body.OperatorIds?.length ? 'OperatorIds' : undefined,
  ].filter(Boolean);
  return clash.length
    ? `LastCall cannot be combined with ${clash.join(', ')} (OICP 2.3 eRoamingPullEvseData)`
    : undefined;
}

type Filter = (s: StoredEvse) => boolean;

/** A record's values, one or many, contain one of the wanted ones. */
function anyOf<T>(wanted: readonly T[], have: (s: StoredEvse) => T | readonly T[] | null | undefined): Filter {
  return (s) => {
    const v = have(s);
    const list: readonly T[] = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v as T];
    return list.some((h) => wanted.includes(h));
  };
}

/**
 * The filters the pull asks for, each a test a record must pass; none means every record.
 * @see OICP 2.3 EMP, 02 Services and Operations, eRoamingPullEvseData (the request's filter fields)
 */
function filtersOf(body: PullRequest): Filter[] {
  const filters: Filter[] = [];
  const countries = body.CountryCodes;
  if (countries?.length) filters.push((s) => countries.includes(s.record.Address.Country));
  const operators = body.OperatorIds?.map(normalizePartnerId);
  if (operators?.length) filters.push((s) => operators.includes(normalizePartnerId(s.operatorId)));
  if (body.AuthenticationModes?.length)
    filters.push(anyOf(body.AuthenticationModes, (s) => s.record.AuthenticationModes));
  if (body.Accessibility?.length) filters.push(anyOf(body.Accessibility, (s) => s.record.Accessibility));
  if (body.CalibrationLawDataAvailability?.length)
    filters.push(anyOf(body.CalibrationLawDataAvailability, (s) => s.record.CalibrationLawDataAvailability));
  for (const flag of ['RenewableEnergy', 'IsHubjectCompatible', 'IsOpen24Hours'] as const) {
    const want = body[flag];
    if (typeof want === 'boolean') filters.push((s) => s.record[flag] === want);
  }
  const search = body.SearchCenter;
  if (search) {
    const center = toLatLon(search.GeoCoordinates);
    filters.push((s) => {
      const here = toLatLon(s.record.GeoCoordinates);
      return !!center && !!here && distanceKm(center, here) <= search.Radius;
    });
  }
  return filters;
}

/**
 * A stored record as a pull returns it: its coordinates in the format asked for, with the operator and the time of
 * its last change; key order stays the record's, the added keys last. A page holds 2000 of these while it is
 * validated, sent and recorded, so they are built with copyOwnProperties (a spread one was 2.6 times larger).
 * @see OICP 2.3 EMP, 02 Services and Operations, eRoamingPullEvseData (OperatorEvseData, lastUpdate, deltaType)
 */
export function wireRecord(s: StoredEvse & { deltaType?: DeltaType }, format: GeoFormat): EvseDataRecordPulled {
  const wire = copyOwnProperties(s.record as unknown as Record<string, unknown>);
  const point = toLatLon(s.record.GeoCoordinates);
  if (point) wire['GeoCoordinates'] = formatGeo(point, format);
  wire['OperatorID'] = s.operatorId;
  wire['OperatorName'] = s.operatorName;
  wire['lastUpdate'] = s.lastUpdate;
  if (s.deltaType) wire['deltaType'] = s.deltaType;
  // A stored record conforms (it was checked when pushed), and the copy adds what a pulled record has beyond it.
  return wire as unknown as EvseDataRecordPulled;
}

/** EvseID order of the pages: code-unit order of the upper-cased ID, as the store keeps it. */
function byEvseId(a: string, b: string): number {
  const [x, y] = [a.toUpperCase(), b.toUpperCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

export const pullEvseData: Handler<'PullEvseData'> = async ({ body, query, hub, flag }) => {
  const paging = readPageRequest(query);
  if (!paging.ok) return { httpStatus: 400, body: negativeAnswer('PullEvseData', '022', paging.info) };
  if (paging.clampedFrom !== undefined) {
    flag('', `size=${paging.clampedFrom} is over HBS's maximum page size; served ${paging.size} per page`, 'page-size');
  }
  const refused = forbiddenCombination(body);
  if (refused) return { httpStatus: 400, body: negativeAnswer('PullEvseData', '022', refused) };

  const format = body.GeoCoordinatesResponseFormat as GeoFormat;
  const toWire = (s: StoredEvse & { deltaType?: DeltaType }) => wireRecord(s, format);
  const store = hub.state.evseData;
  const since = body.LastCall ? Date.parse(body.LastCall) : undefined;
  const ok = statusCode('000');
  const { page, size } = paging;
  const filters = filtersOf(body);
  // The common pull, every record a page at a time: only the page is read and shaped, however many HBS holds.
  if (since === undefined && filters.length === 0)
    return { body: pageWith(store.sortedSlice(page * size, size).map(toWire), store.size(), page, size, ok) };
  const selected: Array<StoredEvse & { deltaType?: DeltaType }> =
    since === undefined
      ? store.sorted().filter((s) => filters.every((f) => f(s)))
      : store.changedSince(since).sort((a, b) => byEvseId(a.record.EvseID, b.record.EvseID));
  const content = selected.slice(page * size, page * size + size).map(toWire);
  return { body: pageWith(content, selected.length, page, size, ok) };
};
