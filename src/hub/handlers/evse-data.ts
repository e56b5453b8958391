import type { Partner } from '../../config/world/types.js';
import { ack, negativeAnswer } from '../../oicp/answers.js';
import type { EvseDataRecord } from '../../oicp/messages.js';
import { pageOf, readPageRequest } from '../../oicp/paging.js';
import { normalizePartnerId, operatorOfEvseId, ownedIds } from '../../oicp/patterns.js';
import { statusCode } from '../../oicp/status-codes.js';
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

function matchesFilters(s: StoredEvse, body: PullRequest): boolean {
  const r = s.record;
  const anyOf = <T>(wanted: readonly T[] | null | undefined, have: T | readonly T[] | null | undefined): boolean => {
    if (!wanted || wanted.length === 0) return true;
    const list = Array.isArray(have) ? have : have === null || have === undefined ? [] : [have as T];
    return list.some((h) => wanted.includes(h));
  };
  if (body.CountryCodes?.length && !body.CountryCodes.includes(r.Address.Country)) return false;
  if (
    body.OperatorIds?.length &&
    !body.OperatorIds.some((o) => normalizePartnerId(o) === normalizePartnerId(s.operatorId))
  )
    return false;
  if (!anyOf(body.AuthenticationModes, r.AuthenticationModes)) return false;
  if (!anyOf(body.Accessibility, r.Accessibility)) return false;
  if (!anyOf(body.CalibrationLawDataAvailability, r.CalibrationLawDataAvailability)) return false;
  for (const flag of ['RenewableEnergy', 'IsHubjectCompatible', 'IsOpen24Hours'] as const) {
    const want = body[flag];
    if (typeof want === 'boolean' && r[flag] !== want) return false;
  }
  if (body.SearchCenter) {
    const center = toLatLon(body.SearchCenter.GeoCoordinates);
    const here = toLatLon(r.GeoCoordinates);
    if (!center || !here || distanceKm(center, here) > body.SearchCenter.Radius) return false;
  }
  return true;
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
  const since = body.LastCall ? Date.parse(body.LastCall) : undefined;
  const selected: Array<StoredEvse & { deltaType?: DeltaType }> =
    since === undefined
      ? hub.state.evseData.all().filter((s) => matchesFilters(s, body))
      : hub.state.evseData.changedSince(since);
  selected.sort((a, b) => a.record.EvseID.localeCompare(b.record.EvseID));
  const content = selected.map((s) => {
    const point = toLatLon(s.record.GeoCoordinates);
    return {
      ...s.record,
      ...(point ? { GeoCoordinates: formatGeo(point, format) } : {}),
      OperatorID: s.operatorId,
      OperatorName: s.operatorName,
      lastUpdate: s.lastUpdate,
      ...(s.deltaType ? { deltaType: s.deltaType } : {}),
    };
  });
  return { body: pageOf(content, paging.page, paging.size, statusCode('000')) };
};
