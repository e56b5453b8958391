import { ack } from '../../oicp/answers.js';
import { normalizePartnerId } from '../../oicp/patterns.js';
import { statusCode } from '../../oicp/status-codes.js';
import type { Handler } from '../context.js';
import { distanceKm, toLatLon } from '../geo.js';
import type { StoredStatus } from '../state/evse-status.js';
import { foreignEvseIds } from './evse-data.js';

export const pushEvseStatus: Handler<'PushEvseStatus'> = async ({ body, partner, hub }) => {
  const data = body.OperatorEvseStatus;
  const records = data.EvseStatusRecord;
  const foreign = foreignEvseIds(
    partner,
    records.map((r) => r.EvseID),
  );
  if (foreign.length > 0)
    return { body: ack(false, '018', `EvseIDs outside ${partner.id}: ${foreign.slice(0, 20).join(', ')}`) };
  const outcome = hub.state.evseStatus.apply(
    partner.id,
    data.OperatorName ?? undefined,
    body.ActionType,
    records,
    hub.clock.now(),
  );
  return { body: outcome.ok ? ack(true, '000') : ack(false, '009', outcome.info) };
};

/** Statuses grouped per operator, the eRoamingEVSEStatus layout. */
function grouped(statuses: StoredStatus[]) {
  const byOperator = new Map<
    string,
    {
      OperatorID: string;
      OperatorName?: string;
      EvseStatusRecord: Array<{ EvseID: string; EvseStatus: StoredStatus['EvseStatus'] }>;
    }
  >();
  for (const s of [...statuses].sort((a, b) => a.EvseID.localeCompare(b.EvseID))) {
    let g = byOperator.get(s.operatorId);
    if (!g) {
      g = {
        OperatorID: s.operatorId,
        ...(s.operatorName ? { OperatorName: s.operatorName } : {}),
        EvseStatusRecord: [],
      };
      byOperator.set(s.operatorId, g);
    }
    g.EvseStatusRecord.push({ EvseID: s.EvseID, EvseStatus: s.EvseStatus });
  }
  return { EvseStatuses: { OperatorEvseStatus: [...byOperator.values()] }, StatusCode: statusCode('000') };
}

export const pullEvseStatus: Handler<'PullEvseStatus'> = async ({ body, hub }) => {
  let statuses = hub.state.evseStatus.all();
  if (body.EVSEStatus) statuses = statuses.filter((s) => s.EvseStatus === body.EVSEStatus);
  if (body.SearchCenter) {
    const center = toLatLon(body.SearchCenter.GeoCoordinates);
    const radius = body.SearchCenter.Radius;
    statuses = statuses.filter((s) => {
      const here = toLatLon(hub.state.evseData.get(s.EvseID)?.record.GeoCoordinates);
      return center !== undefined && here !== undefined && distanceKm(center, here) <= radius;
    });
  }
  return { body: grouped(statuses) };
};

export const pullEvseStatusByOperatorId: Handler<'PullEvseStatusByOperatorId'> = async ({ body, hub }) => {
  const wanted = new Set(body.OperatorID.map(normalizePartnerId));
  return { body: grouped(hub.state.evseStatus.all().filter((s) => wanted.has(normalizePartnerId(s.operatorId)))) };
};

export const pullEvseStatusById: Handler<'PullEvseStatusById'> = async ({ body, hub }) => {
  const EvseStatusRecord = body.EvseID.map((EvseID) => ({
    EvseID,
    EvseStatus: hub.state.evseStatus.get(EvseID)?.EvseStatus ?? ('EvseNotFound' as const),
  }));
  return { body: { EVSEStatusRecords: { EvseStatusRecord }, StatusCode: statusCode('000') } };
};
