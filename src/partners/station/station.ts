import { randomUUID } from 'node:crypto';
import type { StationStatus, VirtualStationConfig } from '../../config/world/types.js';
import { VIRTUAL_DEFAULTS } from '../../config/world/virtual-schema.js';
import { ack } from '../../oicp/answers.js';
import type {
  Acknowledgement,
  AuthorizationStatus,
  AuthorizeRemoteReservationStartRequest,
  AuthorizeRemoteReservationStopRequest,
  AuthorizeRemoteStartRequest,
  AuthorizeRemoteStopRequest,
  EvseDataRecord,
  Identification,
  StatusCode,
} from '../../oicp/messages.js';
import { matchesPattern } from '../../oicp/patterns.js';
import { ERROR_TYPES } from '../../oicp/schemas/enums.js';
import type { StatusCodeValue } from '../../oicp/status-codes.js';
import { Background } from '../../shared/background.js';
import type { Clock } from '../../shared/clock.js';
import { SimError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import { ActivityLog } from '../kit/activity.js';
import type { EndpointHandlers } from '../kit/endpoint.js';
import type { FaultBook } from '../kit/faults.js';
import type { HubAnswer, HubSender } from '../kit/hub-link.js';
import { meterAt, roundKWh, sessionPowerKw } from './meter.js';
import { StationOutbox, tokensOf } from './outbox.js';
import {
  type ErrorType,
  endNotification,
  errorNotification,
  progressNotification,
  type Reservation,
  reservationCdr,
  type StationSession,
  sessionCdr,
  startNotification,
} from './session.js';
import { assertTransition } from './status.js';

/**
 * A virtual CPO: EVSEs with a status that follows the transition table, a meter, sessions started remotely or by an
 * RFID swipe, and the messages a correct CPO sends for them (status pushes, charging notifications, one CDR).
 * @see simulator/virtual/virtual-cpo.yaml for its settings, README "Virtual counterparts" for the actions.
 */

export interface StationDeps {
  config: VirtualStationConfig;
  link: HubSender;
  faults: FaultBook;
  clock: Clock;
  logger: Logger;
  /** Charge points the EVSEs are (a CSMS's): remote starts and stops from HBS go to them first. */
  chargePoints?: StationChargePoints;
}

/**
 * What a station with real charge points behind it (the reference CPO's CSMS) asks of them when HBS forwards a remote
 * start or stop: the CPO's answer to HBS must agree with what the charge point answered.
 */
export interface StationChargePoints {
  /** RemoteStartTransaction at the EVSE's charge point for this session: its answer, or unreachable. */
  remoteStart(
    evseId: string,
    session: { SessionID: string; token: string },
  ): Promise<'Accepted' | 'Rejected' | 'unreachable'>;
  /**
   * RemoteStopTransaction of the EVSE's running transaction: Accepted means the charge point ends it and reports
   * StopTransaction, whose meter the CSMS hands to stop(); anything else leaves the station to end it itself.
   */
  remoteStop(evseId: string): Promise<'Accepted' | 'Rejected' | 'unreachable' | 'none'>;
}

/**
 * A transaction as the charge point metered it (StartTransaction/StopTransaction): a CSMS bills what the charge point
 * measured, so the session's CDR and End notification take these instead of the station's own meter.
 */
export interface ChargePointReading {
  meterStartKWh: number;
  chargingStart: Date;
  meterEndKWh: number;
  chargingEnd: Date;
}

interface EvseState {
  evseId: string;
  record: EvseDataRecord;
  status: StationStatus;
  plugged: boolean;
  meterKWh: number;
  powerKw: number;
  session?: StationSession;
  reservation?: Reservation;
}

export interface EvseView {
  EvseID: string;
  status: StationStatus;
  plugged: boolean;
  meterKWh: number;
  powerKw: number;
  session?: {
    SessionID: string;
    phase: StationSession['phase'];
    origin: StationSession['origin'];
    providerId?: string;
    chargingStart?: string;
    energyKWh?: number;
  };
  reservation?: { SessionID: string; providerId: string; since: string };
}

export interface SwipeResult {
  action: 'start' | 'stop';
  authorized: boolean;
  /** Whether the station acted on it: started (or stopped) the session. */
  done: boolean;
  SessionID?: string;
  providerId?: string;
  statusCode?: StatusCode;
  reason?: string;
}

export class VirtualStation {
  readonly key: string;
  readonly operatorId: string;
  readonly activity = new ActivityLog();
  private readonly evses = new Map<string, EvseState>();
  private readonly background = new Background();
  private readonly who: { OperatorID: string };
  private readonly outbox: StationOutbox;

  constructor(private readonly deps: StationDeps) {
    const { config } = deps;
    this.key = config.partnerKey;
    this.operatorId = config.operatorId;
    this.who = { OperatorID: config.operatorId };
    this.outbox = new StationOutbox({ ...deps, key: this.key, activity: this.activity, background: this.background });
    for (const record of config.evseData) {
      const evseId = (record as { EvseID: string }).EvseID;
      const start = config.evses[evseId]!;
      this.evses.set(evseId.toUpperCase(), {
        evseId,
        record,
        status: start.status,
        plugged: false,
        meterKWh: start.meterStartKWh,
        powerKw: sessionPowerKw(record, config.vehiclePowerKw),
      });
    }
  }

  /** Pushes the EVSE data and then the statuses (fullLoad), one after the other, as a CPO does when it connects. */
  async start(): Promise<void> {
    this.requireAccepted('PushEvseData', await this.pushEvseData('fullLoad'));
    this.requireAccepted('PushEvseStatus', await this.pushEvseStatus());
    this.activity.add('*', 'connected', `pushed ${this.evses.size} EVSE data records and statuses`);
  }

  /** PushEvseData of these EVSEs (default: all) with an ActionType; delete sends the records to remove. */
  pushEvseData(
    action: 'fullLoad' | 'insert' | 'update' | 'delete' = 'fullLoad',
    evseIds?: readonly string[],
  ): Promise<HubAnswer<'PushEvseData'>> {
    const chosen =
      action === 'fullLoad' || !evseIds?.length ? [...this.evses.values()] : evseIds.map((id) => this.require(id));
    return this.outbox.pushEvseData(
      action,
      chosen.map((e) => e.record),
    );
  }

  /** PushEvseStatus: fullLoad of every EVSE's status, or an update of the given ones. */
  pushEvseStatus(evseIds?: readonly string[]): Promise<HubAnswer<'PushEvseStatus'>> {
    const chosen = evseIds?.length ? evseIds.map((id) => this.require(id)) : [...this.evses.values()];
    return this.outbox.pushEvseStatus(
      evseIds?.length ? 'update' : 'fullLoad',
      chosen.map((e) => ({ EvseID: e.evseId, EvseStatus: e.status })),
    );
  }

  /** What the hub forwards to this station. */
  handlers(): EndpointHandlers {
    return {
      AuthorizeRemoteStart: (b) => this.onRemoteStart(b),
      AuthorizeRemoteStop: (b) => this.onRemoteStop(b),
      AuthorizeRemoteReservationStart: (b) => this.onReservationStart(b),
      AuthorizeRemoteReservationStop: (b) => this.onReservationStop(b),
    };
  }

  view(): EvseView[] {
    return [...this.evses.values()].map((e) => this.viewOf(e));
  }

  hasEvse(evseId: string): boolean {
    return this.evses.has(evseId.toUpperCase());
  }

  private viewOf(e: EvseState): EvseView {
    return {
      EvseID: e.evseId,
      status: e.status,
      plugged: e.plugged,
      meterKWh: e.session?.phase === 'charging' ? this.meterNow(e.session) : e.meterKWh,
      powerKw: e.powerKw,
      // Open until the session ends (the car may stay plugged in after charging when autoPlug is off).
      ...(e.session && !e.session.sessionEnd
        ? {
            session: {
              SessionID: e.session.SessionID,
              phase: e.session.phase,
              origin: e.session.origin,
              ...(e.session.providerId ? { providerId: e.session.providerId } : {}),
              ...(e.session.chargingStart
                ? {
                    chargingStart: e.session.chargingStart.toISOString(),
                    energyKWh: roundKWh(
                      (e.session.phase === 'charging' ? this.meterNow(e.session) : e.session.meterEnd!) -
                        e.session.meterStart!,
                    ),
                  }
                : {}),
            },
          }
        : {}),
      ...(e.reservation
        ? {
            reservation: {
              SessionID: e.reservation.SessionID,
              providerId: e.reservation.providerId,
              since: e.reservation.start.toISOString(),
            },
          }
        : {}),
    };
  }

  /** Resolves when no push, notification or CDR is pending (timers of running sessions excepted). */
  idle(): Promise<void> {
    return this.background.idle();
  }

  async close(): Promise<void> {
    for (const e of this.evses.values()) {
      e.session?.timers.abort();
      e.reservation?.timers.abort();
    }
    await this.background.idle();
  }

  // ── Actions (control API) ────────────────────────────────────────────────────────────────────────────────────

  /** A car is plugged in; an authorized session starts charging. */
  plug(evseId: string): EvseView {
    const evse = this.require(evseId);
    if (evse.plugged) throw new SimError('SIM_ACTION', `${evse.evseId} already has a car plugged in`);
    if (evse.status === 'OutOfService' || evse.status === 'Unknown')
      throw new SimError('SIM_ACTION', `${evse.evseId} is ${evse.status}; set it Available first`);
    evse.plugged = true;
    this.activity.add(evse.evseId, 'plug', 'car plugged in');
    if (evse.session?.phase === 'authorized') this.startCharging(evse, evse.session);
    else if (evse.status !== 'Occupied' && !evse.reservation) this.setStatusInternal(evse, 'Occupied');
    return this.viewOf(evse);
  }

  /** The car leaves: charging stops and the session ends. */
  unplug(evseId: string): EvseView {
    const evse = this.require(evseId);
    if (!evse.plugged) throw new SimError('SIM_ACTION', `${evse.evseId} has no car plugged in`);
    const s = evse.session;
    if (s?.phase === 'charging') this.stopCharging(evse, s, 'car unplugged');
    evse.plugged = false;
    this.activity.add(evse.evseId, 'unplug', 'car unplugged');
    if (s && !s.sessionEnd) this.endSession(evse, s);
    else if (!evse.reservation && evse.status === 'Occupied') this.setStatusInternal(evse, 'Available');
    return this.viewOf(evse);
  }

  /** Ends the reservation on the EVSE without an EMP asking: a harness tidying up after an item, not a protocol call. */
  cancelReservation(evseId: string, why: string): EvseView {
    const evse = this.require(evseId);
    if (!evse.reservation) throw new SimError('SIM_ACTION', `${evse.evseId} has no reservation`);
    this.endReservation(evse, evse.reservation, why);
    return this.viewOf(evse);
  }

  /** The station ends the session itself (car full, driver pressed stop): no AuthorizeStop is sent. */
  stop(evseId: string, reading?: ChargePointReading): EvseView {
    const evse = this.require(evseId);
    const s = evse.session;
    if (!s || s.phase === 'ended') throw new SimError('SIM_ACTION', `${evse.evseId} has no running session`);
    this.finish(evse, s, 'stopped at the station', reading);
    return this.viewOf(evse);
  }

  /**
   * The station detects a fault during a charge: it reports it (notification type Error), and once HBS has
   * answered, the charge ends as any other (End notification, CDR), so the EMP learns of the error first.
   */
  reportError(evseId: string, errorType: string, info?: string): EvseView {
    const evse = this.require(evseId);
    if (!isErrorType(errorType))
      throw new SimError('SIM_INPUT', `errorType must be one of ${ERROR_TYPES.join(', ')}, got "${errorType}"`);
    if (info !== undefined && info.length > 250)
      throw new SimError('SIM_INPUT', "the error's additional info has at most 250 characters");
    const s = evse.session;
    if (!s || s.phase === 'ended')
      throw new SimError('SIM_ACTION', `${evse.evseId} has no running session to report an error for`);
    this.activity.add(evse.evseId, 'error', `${errorType}${info ? `: ${info}` : ''} in session ${s.SessionID}`);
    const n = errorNotification(s, this.who, errorType, info);
    this.background.run(async () => {
      await this.outbox.notify(evse.evseId, n);
      if (s.phase !== 'ended') this.finish(evse, s, `${errorType} reported`);
    });
    return this.viewOf(evse);
  }

  /** Sets the status by hand (repair, breakdown), following the transition table, and pushes it. */
  setStatus(evseId: string, status: StationStatus): EvseView {
    const evse = this.require(evseId);
    if (evse.session && evse.session.phase !== 'ended') {
      throw new SimError(
        'SIM_ACTION',
        `${evse.evseId} has session ${evse.session.SessionID}; stop it before changing the status by hand`,
      );
    }
    if (evse.reservation)
      throw new SimError(
        'SIM_ACTION',
        `${evse.evseId} is reserved (${evse.reservation.SessionID}); the EMP must cancel it first`,
      );
    assertTransition(evse.evseId, evse.status, status);
    this.setStatusInternal(evse, status);
    return this.viewOf(evse);
  }

  /** A driver holds an RFID card to the reader: AuthorizeStart through HBS, or AuthorizeStop when a session runs. */
  async swipe(evseId: string, uid: string): Promise<SwipeResult> {
    const evse = this.require(evseId);
    if (!matchesPattern('UID', uid.toUpperCase()))
      throw new SimError('SIM_INPUT', `${uid} is not an RFID UID: 8, 14 or 20 hex digits`);
    return this.present(evse, { RFIDMifareFamilyIdentification: { UID: uid.toUpperCase() } }, `card ${uid}`);
  }

  /**
   * A driver scans the QR code on the EVSE and types the contract's PIN in her app: the PIN goes to HBS in clear
   * (never HashedPIN in an authorization request: OICP 2.3 CPO, 03 Data Types); HBS checks it against the EMP's
   * uploaded hash.
   */
  async scanQr(evseId: string, evcoId: string, pin?: string): Promise<SwipeResult> {
    const evse = this.require(evseId);
    if (!matchesPattern('EvcoID', evcoId))
      throw new SimError('SIM_INPUT', `${evcoId} is not an EvcoID (e.g. DE-ABC-C12345678-X)`);
    if (pin !== undefined && (pin.length === 0 || pin.length > 20))
      throw new SimError('SIM_INPUT', 'a PIN has 1 to 20 characters');
    return this.present(
      evse,
      { QRCodeIdentification: { EvcoID: evcoId, ...(pin === undefined ? {} : { PIN: pin }) } },
      `QR code ${evcoId}`,
    );
  }

  private async present(evse: EvseState, Identification: Identification, what: string): Promise<SwipeResult> {
    const running = evse.session && evse.session.phase !== 'ended' ? evse.session : undefined;
    if (running) return this.presentToStop(evse, running, Identification);
    if (evse.status === 'OutOfService' || evse.status === 'Unknown')
      throw new SimError('SIM_ACTION', `${evse.evseId} is ${evse.status}: the reader is off`);
    if (evse.status === 'Occupied' && !evse.plugged) throw new SimError('SIM_ACTION', `${evse.evseId} is Occupied`);
    const CPOPartnerSessionID = randomUUID();
    this.activity.add(evse.evseId, 'swipe', `${what} → AuthorizeStart`);
    const answer = await this.deps.link.send('AuthorizeStart', {
      OperatorID: this.operatorId,
      EvseID: evse.evseId,
      Identification,
      CPOPartnerSessionID,
    });
    if (!answer.ok)
      return { action: 'start', authorized: false, done: false, reason: `HBS gave no usable answer: ${answer.reason}` };
    const a = answer.body;
    const base = {
      action: 'start' as const,
      authorized: a.AuthorizationStatus === 'Authorized',
      statusCode: a.StatusCode,
      ...(a.SessionID ? { SessionID: a.SessionID } : {}),
      ...(a.ProviderID ? { providerId: a.ProviderID } : {}),
    };
    if (!base.authorized) return { ...base, done: false, reason: `NotAuthorized (${a.StatusCode.Code})` };
    if (!a.SessionID)
      return {
        ...base,
        done: false,
        reason: 'Authorized without a SessionID: no CDR could be sent, so the station does not charge',
      };
    if (evse.session && evse.session.phase !== 'ended')
      return {
        ...base,
        done: false,
        reason: `${evse.evseId} got busy while waiting (session ${evse.session.SessionID})`,
      };
    if (evse.reservation && evse.reservation.providerId !== a.ProviderID) {
      return { ...base, done: false, reason: `${evse.evseId} is reserved for ${evse.reservation.providerId}` };
    }
    const session = this.newSession(evse, {
      SessionID: a.SessionID,
      CPOPartnerSessionID,
      origin: Identification.QRCodeIdentification ? 'qr' : 'rfid',
      identification: Identification,
      ...(a.ProviderID ? { providerId: a.ProviderID } : {}),
      ...(a.EMPPartnerSessionID ? { EMPPartnerSessionID: a.EMPPartnerSessionID } : {}),
      ...(a.AuthorizationStopIdentifications ? { stopIdentifications: a.AuthorizationStopIdentifications } : {}),
    });
    this.afterAuthorized(evse, session);
    return { ...base, done: true };
  }

  // ── What HBS forwards ────────────────────────────────────────────────────────────────────────────────────────

  private async onRemoteStart(b: AuthorizeRemoteStartRequest): Promise<Acknowledgement> {
    const echo = { SessionID: b.SessionID ?? undefined, EMPPartnerSessionID: b.EMPPartnerSessionID ?? undefined };
    const evse = this.evses.get(b.EvseID.toUpperCase());
    if (!evse)
      return this.refuse(
        b.EvseID,
        'remote start',
        '603',
        `EvseID ${b.EvseID} is not one of ${this.operatorId}'s EVSEs`,
        echo,
      );
    const refusal = this.refusal(evse, b.ProviderID);
    if (refusal) return this.refuse(evse.evseId, 'remote start', refusal.code, refusal.info, echo);
    if (!b.SessionID)
      return this.refuse(
        evse.evseId,
        'remote start',
        '400',
        'no SessionID: HBS sends one with every remote start',
        echo,
      );
    if (this.deps.chargePoints) {
      const token = tokensOf(b.Identification)[0] ?? b.SessionID;
      const answer = await this.deps.chargePoints.remoteStart(evse.evseId, { SessionID: b.SessionID, token });
      // The charge point refused, could not be reached, or the EVSE got busy while it was asked: HBS hears it.
      const busy = this.refusal(evse, b.ProviderID);
      if (busy) return this.refuse(evse.evseId, 'remote start', busy.code, busy.info, echo);
      if (answer === 'unreachable')
        return this.refuse(evse.evseId, 'remote start', '501', 'the charge point could not be reached', echo);
      if (answer === 'Rejected')
        return this.refuse(evse.evseId, 'remote start', '602', 'the charge point rejected the remote start', echo);
    }
    const session = this.newSession(evse, {
      SessionID: b.SessionID,
      CPOPartnerSessionID: randomUUID(),
      origin: 'remote',
      identification: b.Identification,
      providerId: b.ProviderID,
      ...(b.EMPPartnerSessionID ? { EMPPartnerSessionID: b.EMPPartnerSessionID } : {}),
    });
    this.activity.add(evse.evseId, 'remote-start', `accepted for ${b.ProviderID}, session ${b.SessionID}`);
    this.afterAuthorized(evse, session);
    return ack(true, '000', undefined, {
      SessionID: session.SessionID,
      CPOPartnerSessionID: session.CPOPartnerSessionID,
      EMPPartnerSessionID: session.EMPPartnerSessionID,
    });
  }

  private async onRemoteStop(b: AuthorizeRemoteStopRequest): Promise<Acknowledgement> {
    const echo = { SessionID: b.SessionID, EMPPartnerSessionID: b.EMPPartnerSessionID ?? undefined };
    const evse = this.evses.get(b.EvseID.toUpperCase());
    if (!evse)
      return this.refuse(
        b.EvseID,
        'remote stop',
        '603',
        `EvseID ${b.EvseID} is not one of ${this.operatorId}'s EVSEs`,
        echo,
      );
    const s = evse.session;
    if (!s || s.phase === 'ended' || s.SessionID.toLowerCase() !== b.SessionID.toLowerCase()) {
      return this.refuse(
        evse.evseId,
        'remote stop',
        '400',
        `no running session ${b.SessionID} on ${evse.evseId}`,
        echo,
      );
    }
    this.activity.add(evse.evseId, 'remote-stop', `session ${s.SessionID}`);
    const chargePoints = this.deps.chargePoints;
    // The answer goes first; stopping (End notification, CDR) follows as the EVSE reacts: at a charge point that
    // accepted RemoteStopTransaction, with its StopTransaction (the CSMS calls stop() with its meter).
    if (chargePoints)
      this.background.run(async () => {
        const answer = await chargePoints.remoteStop(evse.evseId);
        if (answer !== 'Accepted' && s.phase !== 'ended') this.finish(evse, s, `remote stop (charge point: ${answer})`);
      });
    else this.later(() => this.finish(evse, s, 'remote stop'));
    return ack(true, '000', undefined, {
      SessionID: s.SessionID,
      CPOPartnerSessionID: s.CPOPartnerSessionID,
      EMPPartnerSessionID: s.EMPPartnerSessionID,
    });
  }

  private async onReservationStart(b: AuthorizeRemoteReservationStartRequest): Promise<Acknowledgement> {
    const echo = { SessionID: b.SessionID ?? undefined, EMPPartnerSessionID: b.EMPPartnerSessionID ?? undefined };
    const evse = this.evses.get(b.EvseID.toUpperCase());
    if (!evse)
      return this.refuse(
        b.EvseID,
        'reservation',
        '603',
        `EvseID ${b.EvseID} is not one of ${this.operatorId}'s EVSEs`,
        echo,
      );
    const refusal =
      this.refusal(evse, undefined) ??
      (evse.plugged ? { code: '602' as const, info: `${evse.evseId} has a car plugged in` } : undefined);
    if (refusal) return this.refuse(evse.evseId, 'reservation', refusal.code, refusal.info, echo);
    if (!b.SessionID)
      return this.refuse(evse.evseId, 'reservation', '400', 'no SessionID: HBS sends one with every reservation', echo);
    const minutes = b.Duration ?? VIRTUAL_DEFAULTS.reservationMinutes;
    const r: Reservation = {
      SessionID: b.SessionID,
      CPOPartnerSessionID: randomUUID(),
      ...(b.EMPPartnerSessionID ? { EMPPartnerSessionID: b.EMPPartnerSessionID } : {}),
      evseId: evse.evseId,
      providerId: b.ProviderID,
      identification: b.Identification,
      start: this.deps.clock.now(),
      timers: new AbortController(),
    };
    evse.reservation = r;
    this.setStatusInternal(evse, 'Reserved');
    this.activity.add(
      evse.evseId,
      'reservation',
      `reserved for ${b.ProviderID} for ${minutes} min, session ${r.SessionID}`,
    );
    this.timer(r.timers.signal, minutes * 60_000, () => this.endReservation(evse, r, 'expired'));
    return ack(true, '000', undefined, {
      SessionID: r.SessionID,
      CPOPartnerSessionID: r.CPOPartnerSessionID,
      EMPPartnerSessionID: r.EMPPartnerSessionID,
    });
  }

  private async onReservationStop(b: AuthorizeRemoteReservationStopRequest): Promise<Acknowledgement> {
    const echo = { SessionID: b.SessionID, EMPPartnerSessionID: b.EMPPartnerSessionID ?? undefined };
    const evse = this.evses.get(b.EvseID.toUpperCase());
    if (!evse)
      return this.refuse(
        b.EvseID,
        'reservation stop',
        '603',
        `EvseID ${b.EvseID} is not one of ${this.operatorId}'s EVSEs`,
        echo,
      );
    const r = evse.reservation;
    if (!r || r.SessionID.toLowerCase() !== b.SessionID.toLowerCase())
      return this.refuse(
        evse.evseId,
        'reservation stop',
        '400',
        `no reservation ${b.SessionID} on ${evse.evseId}`,
        echo,
      );
    this.endReservation(evse, r, 'cancelled by the EMP');
    return ack(true, '000', undefined, {
      SessionID: r.SessionID,
      CPOPartnerSessionID: r.CPOPartnerSessionID,
      EMPPartnerSessionID: r.EMPPartnerSessionID,
    });
  }

  /** Why this EVSE cannot take a new session or reservation, with the specific OICP code. */
  private refusal(
    evse: EvseState,
    providerId: string | undefined,
  ): { code: StatusCodeValue; info: string } | undefined {
    if (evse.status === 'OutOfService') return { code: '700', info: `${evse.evseId} is out of service` };
    if (evse.status === 'Unknown') return { code: '501', info: `the station cannot reach ${evse.evseId}` };
    if (evse.session && !evse.session.sessionEnd)
      return { code: '602', info: `${evse.evseId} is in use (session ${evse.session.SessionID})` };
    if (evse.status === 'Occupied' && !evse.plugged) return { code: '602', info: `${evse.evseId} is occupied` };
    if (evse.reservation && evse.reservation.providerId !== providerId)
      return { code: '601', info: `${evse.evseId} is reserved for another provider` };
    if (evse.status === 'Reserved' && !evse.reservation) return { code: '601', info: `${evse.evseId} is reserved` };
    return undefined;
  }

  private refuse(
    evseId: string,
    what: string,
    code: StatusCodeValue,
    info: string,
    echo: { SessionID?: string; EMPPartnerSessionID?: string },
  ): Acknowledgement {
    this.activity.add(evseId, 'refused', `${what}: ${code} ${info}`);
    return ack(false, code, info, echo);
  }

  // ── Session lifecycle ────────────────────────────────────────────────────────────────────────────────────────

  private newSession(
    evse: EvseState,
    s: Pick<StationSession, 'SessionID' | 'CPOPartnerSessionID' | 'origin' | 'identification'> &
      Partial<StationSession>,
  ): StationSession {
    const session: StationSession = {
      ...s,
      evseId: evse.evseId,
      powerKw: evse.powerKw,
      sessionStart: this.deps.clock.now(),
      meterInBetween: [],
      phase: 'authorized',
      timers: new AbortController(),
    };
    evse.session = session;
    return session;
  }

  /** Starts charging when a car is there; else waits for one (autoPlug) and lets the authorization lapse. */
  private afterAuthorized(evse: EvseState, s: StationSession): void {
    const { config } = this.deps;
    if (evse.reservation && evse.reservation.providerId === s.providerId)
      this.endReservation(evse, evse.reservation, `used by session ${s.SessionID}`);
    if (evse.plugged) {
      this.later(() => s.phase === 'authorized' && this.startCharging(evse, s));
      return;
    }
    if (config.autoPlug)
      this.timer(
        s.timers.signal,
        config.plugDelaySeconds * 1000,
        () => !evse.plugged && s.phase === 'authorized' && this.plug(evse.evseId),
      );
    this.timer(s.timers.signal, config.plugTimeoutSeconds * 1000, () => {
      if (s.phase !== 'authorized') return;
      this.activity.add(
        evse.evseId,
        'lapsed',
        `no car within ${config.plugTimeoutSeconds} s; session ${s.SessionID} ends without charging`,
      );
      this.endSession(evse, s);
    });
  }

  private startCharging(evse: EvseState, s: StationSession): void {
    const { config, clock } = this.deps;
    s.phase = 'charging';
    s.chargingStart = clock.now();
    s.meterStart = evse.meterKWh;
    this.setStatusInternal(evse, 'Occupied');
    this.activity.add(evse.evseId, 'charging-start', `session ${s.SessionID} at ${s.powerKw} kW`);
    void this.outbox.notify(evse.evseId, startNotification(s, this.who));
    if (config.progressIntervalSeconds > 0) this.progressLoop(evse, s, config.progressIntervalSeconds * 1000);
    if (config.maxChargingMinutes)
      this.timer(s.timers.signal, config.maxChargingMinutes * 60_000, () => this.finish(evse, s, 'car full'));
  }

  private progressLoop(evse: EvseState, s: StationSession, everyMs: number): void {
    this.timer(s.timers.signal, everyMs, () => {
      if (s.phase !== 'charging') return;
      const at = this.deps.clock.now();
      const meter = meterAt(s.meterStart!, s.powerKw, s.chargingStart!.getTime(), at.getTime());
      s.meterInBetween.push(meter);
      void this.outbox.notify(evse.evseId, progressNotification(s, this.who, at, meter));
      this.progressLoop(evse, s, everyMs);
    });
  }

  /** Stops charging (if it runs) and ends the session; the car leaves when the station plugs cars in by itself. */
  private finish(evse: EvseState, s: StationSession, why: string, reading?: ChargePointReading): void {
    if (s.phase === 'charging') this.stopCharging(evse, s, why, reading);
    if (this.deps.config.autoPlug || !evse.plugged || !s.chargingStart) {
      evse.plugged = false;
      this.endSession(evse, s);
    }
  }

  private stopCharging(evse: EvseState, s: StationSession, why: string, reading?: ChargePointReading): void {
    s.timers.abort();
    if (reading) {
      s.meterStart = reading.meterStartKWh;
      // A remote start's session begins when the charge point accepts it, which its StartTransaction may be stamped
      // a millisecond before: the CPO's record never has charging start before its session.
      s.chargingStart = new Date(Math.max(reading.chargingStart.getTime(), s.sessionStart.getTime()));
    }
    s.chargingEnd = reading?.chargingEnd ?? this.deps.clock.now();
    s.meterEnd =
      reading?.meterEndKWh ?? meterAt(s.meterStart!, s.powerKw, s.chargingStart!.getTime(), s.chargingEnd.getTime());
    evse.meterKWh = s.meterEnd;
    s.phase = 'ended';
    this.activity.add(
      evse.evseId,
      'charging-end',
      `session ${s.SessionID}: ${why}, ${(s.meterEnd - s.meterStart!).toFixed(3)} kWh`,
    );
  }

  /** Session end: EVSE free again, the End notification, and cdrDelaySeconds after it the CDR (if energy flowed). */
  private endSession(evse: EvseState, s: StationSession): void {
    s.timers.abort();
    s.phase = 'ended';
    s.sessionEnd = this.deps.clock.now();
    if (!evse.plugged && !evse.reservation) this.setStatusInternal(evse, 'Available');
    if (!s.chargingStart) return;
    void this.outbox.notify(evse.evseId, endNotification(s, this.who));
    const cdr = this.outbox.signed(evse.evseId, evse.record, s, sessionCdr(s, this.who));
    void this.outbox.cdr(evse.evseId, cdr, s.identification, this.deps.config.cdrDelaySeconds * 1000);
  }

  private endReservation(evse: EvseState, r: Reservation, why: string): void {
    if (evse.reservation !== r) return;
    r.timers.abort();
    r.end = this.deps.clock.now();
    evse.reservation = undefined;
    this.activity.add(evse.evseId, 'reservation-end', `${r.SessionID}: ${why}`);
    if (!evse.session || evse.session.phase === 'ended')
      this.setStatusInternal(evse, evse.plugged ? 'Occupied' : 'Available');
    void this.outbox.cdr(evse.evseId, reservationCdr(r, this.who, evse.meterKWh), r.identification);
  }

  private setStatusInternal(evse: EvseState, status: StationStatus): void {
    if (evse.status === status) return;
    assertTransition(evse.evseId, evse.status, status);
    evse.status = status;
    this.activity.add(evse.evseId, 'status', status);
    this.outbox.statusChanged(evse.evseId, status);
  }

  private async presentToStop(
    evse: EvseState,
    s: StationSession,
    Identification: Identification,
  ): Promise<SwipeResult> {
    this.activity.add(
      evse.evseId,
      'swipe',
      `${Identification.QRCodeIdentification ? 'QR code' : 'card'} ${tokensOf(Identification)[0]} → AuthorizeStop ${s.SessionID}`,
    );
    const answer = await this.deps.link.send('AuthorizeStop', {
      SessionID: s.SessionID,
      CPOPartnerSessionID: s.CPOPartnerSessionID,
      ...(s.EMPPartnerSessionID ? { EMPPartnerSessionID: s.EMPPartnerSessionID } : {}),
      OperatorID: this.operatorId,
      EvseID: evse.evseId,
      Identification,
    });
    if (!answer.ok)
      return {
        action: 'stop',
        authorized: false,
        done: false,
        SessionID: s.SessionID,
        reason: `HBS gave no usable answer: ${answer.reason}`,
      };
    const status: AuthorizationStatus = answer.body.AuthorizationStatus;
    const authorized = status === 'Authorized';
    // Behind a CSMS the charge point ends the transaction once its card is accepted, and the CSMS stops the session
    // with the charge point's meter; a station of its own stops here.
    if (authorized && s.phase !== 'ended' && !this.deps.chargePoints) this.finish(evse, s, 'stopped by RFID');
    return {
      action: 'stop',
      authorized,
      done: authorized,
      SessionID: s.SessionID,
      statusCode: answer.body.StatusCode,
      ...(authorized ? {} : { reason: `NotAuthorized (${answer.body.StatusCode.Code})` }),
    };
  }

  // ── Helpers ──────────────────────────────────────────────────────────────────────────────────────────────────

  private require(evseId: string): EvseState {
    const evse = this.evses.get(evseId.toUpperCase());
    if (!evse)
      throw new SimError(
        'SIM_ACTION',
        `${this.key} has no EVSE ${evseId}; it has ${[...this.evses.values()].map((e) => e.evseId).join(', ')}`,
      );
    return evse;
  }

  private meterNow(s: StationSession): number {
    return meterAt(s.meterStart!, s.powerKw, s.chargingStart!.getTime(), this.deps.clock.now().getTime());
  }

  private requireAccepted(operation: string, answer: Awaited<ReturnType<HubSender['send']>>): void {
    if (answer.ok && (answer.body as Acknowledgement).Result) return;
    const why = answer.ok
      ? `${(answer.body as Acknowledgement).StatusCode.Code} ${(answer.body as Acknowledgement).StatusCode.AdditionalInfo ?? ''}`
      : answer.reason;
    throw new SimError('SIM_START', `virtual station ${this.key}: HBS refused its ${operation}: ${why.trim()}`);
  }

  /** Runs `fn` after the current answer has gone out. */
  private later(fn: () => unknown): void {
    this.background.run(async () => {
      await this.deps.clock.sleep(0);
      fn();
    });
  }

  /** Runs `fn` after `protocolMs`, unless `signal` aborts first; errors are logged, never thrown into a timer. */
  private timer(signal: AbortSignal, protocolMs: number, fn: () => unknown): void {
    this.deps.clock.sleep(protocolMs, signal).then(
      () => {
        try {
          fn();
        } catch (e) {
          this.deps.logger.warn({ err: e, actor: this.key }, 'virtual station timer failed');
        }
      },
      () => undefined,
    );
  }
}

function isErrorType(t: string): t is ErrorType {
  return (ERROR_TYPES as readonly string[]).includes(t);
}
