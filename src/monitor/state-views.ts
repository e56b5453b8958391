import type { ForwardStatus, HubPort } from '../hub/port.js';
import type { EvseStatusValue } from '../oicp/messages.js';

/** One EVSE as HBS holds it: its uploaded data (if any) joined with its last pushed status (if any). */
export interface EvseView {
  EvseID: string;
  EvseStatus: EvseStatusValue | null;
  statusUpdatedAt: string | null;
  /** Whether EVSE data (PushEvseData or the world's preload) exists for it. */
  hasData: boolean;
  ChargingStationName: string | null;
  IsHubjectCompatible: boolean | null;
  dataUpdatedAt: string | null;
}

export interface OperatorEvses {
  OperatorID: string;
  OperatorName: string | null;
  evses: EvseView[];
}

/**
 * What the virtual stations (and any CPO) last told the hub: they push status to HBS, so the hub's state is their
 * live state as EMPs would see it. Grouped per operator, EvseIDs sorted.
 */
export function evseView(hub: HubPort): { operators: OperatorEvses[]; total: number } {
  const byOperator = new Map<string, OperatorEvses>();
  const byEvse = new Map<string, EvseView>();
  const operator = (id: string, name: string | undefined): OperatorEvses => {
    let o = byOperator.get(id);
    if (!o) {
      o = { OperatorID: id, OperatorName: name ?? null, evses: [] };
      byOperator.set(id, o);
    }
    if (!o.OperatorName && name) o.OperatorName = name;
    return o;
  };
  const evse = (operatorId: string, operatorName: string | undefined, EvseID: string): EvseView => {
    const key = EvseID.toUpperCase();
    let v = byEvse.get(key);
    if (!v) {
      v = {
        EvseID,
        EvseStatus: null,
        statusUpdatedAt: null,
        hasData: false,
        ChargingStationName: null,
        IsHubjectCompatible: null,
        dataUpdatedAt: null,
      };
      byEvse.set(key, v);
      operator(operatorId, operatorName).evses.push(v);
    }
    return v;
  };
  for (const d of hub.state.evseData.all()) {
    const v = evse(d.operatorId, d.operatorName, d.record.EvseID);
    v.hasData = true;
    v.ChargingStationName = d.record.ChargingStationNames?.[0]?.value ?? null;
    v.IsHubjectCompatible = d.record.IsHubjectCompatible;
    v.dataUpdatedAt = d.lastUpdate;
  }
  for (const s of hub.state.evseStatus.all()) {
    const v = evse(s.operatorId, s.operatorName, s.EvseID);
    v.EvseStatus = s.EvseStatus;
    v.statusUpdatedAt = s.updatedAt;
  }
  const operators = [...byOperator.values()].sort((a, b) => a.OperatorID.localeCompare(b.OperatorID));
  for (const o of operators) o.evses.sort((a, b) => a.EvseID.localeCompare(b.EvseID));
  return { operators, total: byEvse.size };
}

export interface SessionView {
  SessionID: string;
  origin: string;
  status: string;
  cpoId: string;
  empId: string | null;
  EvseID: string | null;
  createdAt: string;
  CPOPartnerSessionID: string | null;
  EMPPartnerSessionID: string | null;
  forwardStatus: ForwardStatus | null;
}

/** The sessions HBS minted, newest first, with the forward status of their CDR. */
export function sessionView(hub: HubPort): SessionView[] {
  return hub.state.sessions
    .all()
    .map((s) => ({
      SessionID: s.SessionID,
      origin: s.origin,
      status: s.status,
      cpoId: s.cpoId,
      empId: s.empId ?? null,
      EvseID: s.evseId ?? null,
      createdAt: s.createdAt,
      CPOPartnerSessionID: s.CPOPartnerSessionID ?? null,
      EMPPartnerSessionID: s.EMPPartnerSessionID ?? null,
      forwardStatus: hub.state.cdrs.forSession(s.SessionID)?.forwardStatus ?? null,
    }))
    .reverse();
}

export interface CdrView {
  SessionID: string;
  EvseID: string;
  OperatorID: string;
  ProviderID: string | null;
  ConsumedEnergy: number;
  receivedAt: string;
  forwardStatus: ForwardStatus;
  forwardInfo: string | null;
}

/** The CDRs HBS stored, newest first, optionally only those with one forward status. */
export function cdrView(hub: HubPort, forward?: ForwardStatus): CdrView[] {
  return hub.state.cdrs
    .all()
    .filter((c) => forward === undefined || c.forwardStatus === forward)
    .sort((a, b) => b.receivedAtMs - a.receivedAtMs)
    .map((c) => ({
      SessionID: c.cdr.SessionID,
      EvseID: c.cdr.EvseID,
      OperatorID: c.operatorId,
      ProviderID: c.providerId ?? null,
      ConsumedEnergy: c.cdr.ConsumedEnergy,
      receivedAt: c.receivedAt,
      forwardStatus: c.forwardStatus,
      forwardInfo: c.forwardInfo ?? null,
    }));
}
