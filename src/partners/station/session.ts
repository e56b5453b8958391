import type { ChargeDetailRecord, ChargingNotification, Identification } from '../../oicp/messages.js';
import type { ERROR_TYPES } from '../../oicp/schemas/enums.js';
import { roundKWh } from './meter.js';

export type ErrorType = (typeof ERROR_TYPES)[number];

/**
 * A charging session as the station keeps it, and the OICP messages it produces. Builders are pure: given the same
 * session they give the same notification or CDR, so their consistency rules (SessionStart ≤ ChargingStart ≤
 * ChargingEnd ≤ SessionEnd, ConsumedEnergy = MeterValueEnd − MeterValueStart) are checked once, in unit tests.
 */

export interface StationSession {
  /** HBS's SessionID (from the remote start or the AuthorizeStart answer). */
  SessionID: string;
  CPOPartnerSessionID: string;
  EMPPartnerSessionID?: string;
  evseId: string;
  origin: 'remote' | 'rfid' | 'qr';
  identification: Identification;
  providerId?: string;
  /** Media the EMP allowed to stop this session (AuthorizationStopIdentifications). */
  stopIdentifications?: Identification[];
  powerKw: number;
  sessionStart: Date;
  chargingStart?: Date;
  chargingEnd?: Date;
  sessionEnd?: Date;
  meterStart?: number;
  meterEnd?: number;
  /** Readings sent in Progress notifications, also reported in the CDR. */
  meterInBetween: number[];
  phase: 'authorized' | 'charging' | 'ended';
  /** Cancels the session's timers (plug-in, progress, car full). */
  timers: AbortController;
}

export interface Reservation {
  SessionID: string;
  CPOPartnerSessionID: string;
  EMPPartnerSessionID?: string;
  evseId: string;
  providerId: string;
  identification: Identification;
  start: Date;
  end?: Date;
  timers: AbortController;
}

interface Who {
  OperatorID: string;
}

function ids(s: StationSession | Reservation) {
  return {
    SessionID: s.SessionID,
    CPOPartnerSessionID: s.CPOPartnerSessionID,
    ...(s.EMPPartnerSessionID ? { EMPPartnerSessionID: s.EMPPartnerSessionID } : {}),
  };
}

/** Fields every notification of a session carries. */
function about(s: StationSession, who: Who) {
  return { ...ids(s), Identification: s.identification, EvseID: s.evseId, OperatorID: who.OperatorID };
}

export function startNotification(s: StationSession, who: Who): ChargingNotification {
  return {
    Type: 'Start',
    ...about(s, who),
    ChargingStart: s.chargingStart!.toISOString(),
    SessionStart: s.sessionStart.toISOString(),
    MeterValueStart: s.meterStart!,
  };
}

export function progressNotification(s: StationSession, who: Who, at: Date, meter: number): ChargingNotification {
  return {
    Type: 'Progress',
    ...about(s, who),
    ChargingStart: s.chargingStart!.toISOString(),
    EventOccurred: at.toISOString(),
    ChargingDuration: at.getTime() - s.chargingStart!.getTime(),
    SessionStart: s.sessionStart.toISOString(),
    ConsumedEnergyProgress: roundKWh(meter - s.meterStart!),
    MeterValueStart: s.meterStart!,
    MeterValueInBetween: { meterValues: [...s.meterInBetween] },
  };
}

/** A fault the station detected during the session (OICP notification type Error). */
export function errorNotification(
  s: StationSession,
  who: Who,
  ErrorType: ErrorType,
  info?: string,
): ChargingNotification {
  return { Type: 'Error', ...about(s, who), ErrorType, ...(info ? { ErrorAdditionalInfo: info } : {}) };
}

export function endNotification(s: StationSession, who: Who): ChargingNotification {
  return {
    Type: 'End',
    ...about(s, who),
    ChargingStart: s.chargingStart!.toISOString(),
    ChargingEnd: s.chargingEnd!.toISOString(),
    SessionStart: s.sessionStart.toISOString(),
    ...(s.sessionEnd ? { SessionEnd: s.sessionEnd.toISOString() } : {}),
    ConsumedEnergy: roundKWh(s.meterEnd! - s.meterStart!),
    MeterValueStart: s.meterStart!,
    MeterValueEnd: s.meterEnd!,
  };
}

/** The CDR of a session that charged: every time and meter field from the session itself. */
export function sessionCdr(s: StationSession, who: Who): ChargeDetailRecord {
  return {
    ...ids(s),
    EvseID: s.evseId,
    Identification: s.identification,
    SessionStart: s.sessionStart.toISOString(),
    ChargingStart: s.chargingStart!.toISOString(),
    ChargingEnd: s.chargingEnd!.toISOString(),
    SessionEnd: s.sessionEnd!.toISOString(),
    MeterValueStart: s.meterStart!,
    MeterValueEnd: s.meterEnd!,
    ...(s.meterInBetween.length > 0 ? { MeterValueInBetween: { meterValues: [...s.meterInBetween] } } : {}),
    ConsumedEnergy: roundKWh(s.meterEnd! - s.meterStart!),
    HubOperatorID: who.OperatorID,
    ...(s.providerId ? { HubProviderID: s.providerId } : {}),
  };
}

/**
 * A reservation's CDR (the CPO MUST send one after a remote reservation stop: OICP 2.3 CPO, 02 Services and
 * Operations, eRoamingAuthorizeRemoteReservationStop): the reserved time, no energy.
 */
export function reservationCdr(r: Reservation, who: Who, meter: number): ChargeDetailRecord {
  const end = (r.end ?? r.start).toISOString();
  return {
    ...ids(r),
    EvseID: r.evseId,
    Identification: r.identification,
    SessionStart: r.start.toISOString(),
    ChargingStart: end,
    ChargingEnd: end,
    SessionEnd: end,
    MeterValueStart: meter,
    MeterValueEnd: meter,
    ConsumedEnergy: 0,
    HubOperatorID: who.OperatorID,
    HubProviderID: r.providerId,
  };
}
