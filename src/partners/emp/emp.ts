import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { VirtualCustomer, VirtualEmpConfig } from '../../config/world/types.js';
import { ack } from '../../oicp/answers.js';
import { mediumOf } from '../../oicp/media.js';
import type {
  Acknowledgement,
  AuthorizationStartResponse,
  AuthorizationStopResponse,
  AuthorizeStartRequest,
  AuthorizeStopRequest,
  ChargeDetailRecord,
  ChargingNotification,
  Identification,
  RequestOf,
} from '../../oicp/messages.js';
import { statusCode } from '../../oicp/status-codes.js';
import { checkRequest } from '../../oicp/validate.js';
import type { Clock } from '../../shared/clock.js';
import { SimError } from '../../shared/errors.js';
import { ActivityLog } from '../kit/activity.js';
import type { EndpointHandlers } from '../kit/endpoint.js';
import type { HubAnswer, HubSender } from '../kit/hub-link.js';
import { decide, findCustomer, stopIdentifications } from './authorize.js';

/**
 * A virtual EMP: authorizes its customers when HBS forwards AuthorizeStart/Stop, keeps every CDR and charging
 * notification it receives (acknowledging them), and acts through HBS like an EMP backend: remote start/stop,
 * reservations, EVSE data and status pulls, CDR retrieval and, in offline mode, authentication data upload.
 * @see simulator/virtual/virtual-emp.yaml
 */

export interface EmpDeps {
  config: VirtualEmpConfig;
  link: HubSender;
  clock: Clock;
}

export interface ReceivedCdr {
  receivedAt: string;
  cdr: ChargeDetailRecord;
  /** A CDR for this SessionID had arrived before. */
  duplicate: boolean;
}

export interface ReceivedNotification {
  receivedAt: string;
  notification: ChargingNotification;
}

/** A session the EMP knows of: one it started remotely or authorized. */
export interface EmpSession {
  SessionID: string;
  EMPPartnerSessionID: string;
  EvseID?: string;
  customer: string;
  origin: 'remote' | 'reservation' | 'authorized';
}

export class VirtualEmp {
  readonly key: string;
  readonly providerId: string;
  readonly activity = new ActivityLog();
  private readonly cdrs: ReceivedCdr[] = [];
  private readonly notifications: ReceivedNotification[] = [];
  private readonly sessions = new Map<string, EmpSession>();

  constructor(private readonly deps: EmpDeps) {
    this.key = deps.config.partnerKey;
    this.providerId = deps.config.providerId;
  }

  get mode(): VirtualEmpConfig['mode'] {
    return this.deps.config.mode;
  }

  /** Offline mode uploads the customers so HBS can authorize them without asking. */
  async start(): Promise<void> {
    if (this.mode !== 'offline') return;
    const answer = await this.pushAuthenticationData();
    if (!answer.ok || !answer.body.Result) {
      throw new SimError(
        'SIM_START',
        `virtual EMP ${this.key}: HBS refused its PushAuthenticationData: ${answer.ok ? answer.body.StatusCode.Code : answer.reason}`,
      );
    }
  }

  handlers(): EndpointHandlers {
    return {
      AuthorizeStart: (b) => this.onAuthorizeStart(b),
      AuthorizeStop: (b) => this.onAuthorizeStop(b),
      ChargeDetailRecord: (b) => this.onCdr(b),
      ChargingNotification: (b) => this.onNotification(b),
    };
  }

  receivedCdrs(): readonly ReceivedCdr[] {
    return this.cdrs;
  }

  receivedNotifications(sessionId?: string): ReceivedNotification[] {
    const id = sessionId?.toLowerCase();
    return this.notifications.filter((n) => !id || n.notification.SessionID.toLowerCase() === id);
  }

  knownSessions(): EmpSession[] {
    return [...this.sessions.values()];
  }

  customers(): readonly VirtualCustomer[] {
    return this.deps.config.customers;
  }

  // ── Actions through HBS ──────────────────────────────────────────────────────────────────────────────────────

  /** AuthorizeRemoteStart for a customer's contract (default: the first customer with an EvcoID). */
  async remoteStart(input: { evseId: string; customer?: string }): Promise<HubAnswer<'AuthorizeRemoteStart'>> {
    const customer = this.contractCustomer(input.customer);
    const EMPPartnerSessionID = randomUUID();
    const answer = await this.deps.link.send('AuthorizeRemoteStart', {
      ProviderID: this.providerId,
      EvseID: input.evseId,
      Identification: { RemoteIdentification: { EvcoID: customer.evcoId! } },
      EMPPartnerSessionID,
    });
    this.remember(answer, { EMPPartnerSessionID, EvseID: input.evseId, customer: customer.name, origin: 'remote' });
    this.activity.add(input.evseId, 'remote-start', `${customer.name}: ${outcome(answer)}`);
    return answer;
  }

  async remoteStop(input: { sessionId: string; evseId?: string }): Promise<HubAnswer<'AuthorizeRemoteStop'>> {
    const known = this.sessions.get(input.sessionId.toLowerCase());
    const evseId = input.evseId ?? known?.EvseID;
    if (!evseId)
      throw new SimError('SIM_ACTION', `session ${input.sessionId} is not one ${this.key} started; give its evseId`);
    const answer = await this.deps.link.send('AuthorizeRemoteStop', {
      SessionID: input.sessionId,
      ProviderID: this.providerId,
      EvseID: evseId,
      ...(known ? { EMPPartnerSessionID: known.EMPPartnerSessionID } : {}),
    });
    this.activity.add(evseId, 'remote-stop', `${input.sessionId}: ${outcome(answer)}`);
    return answer;
  }

  async reservationStart(input: {
    evseId: string;
    customer?: string;
    durationMinutes?: number;
  }): Promise<HubAnswer<'AuthorizeRemoteReservationStart'>> {
    const customer = this.contractCustomer(input.customer);
    const EMPPartnerSessionID = randomUUID();
    const answer = await this.deps.link.send('AuthorizeRemoteReservationStart', {
      ProviderID: this.providerId,
      EvseID: input.evseId,
      Identification: { RemoteIdentification: { EvcoID: customer.evcoId! } },
      EMPPartnerSessionID,
      ...(input.durationMinutes ? { Duration: input.durationMinutes } : {}),
    });
    this.remember(answer, {
      EMPPartnerSessionID,
      EvseID: input.evseId,
      customer: customer.name,
      origin: 'reservation',
    });
    this.activity.add(input.evseId, 'reservation', `${customer.name}: ${outcome(answer)}`);
    return answer;
  }

  async reservationStop(input: {
    sessionId: string;
    evseId?: string;
  }): Promise<HubAnswer<'AuthorizeRemoteReservationStop'>> {
    const known = this.sessions.get(input.sessionId.toLowerCase());
    const evseId = input.evseId ?? known?.EvseID;
    if (!evseId)
      throw new SimError('SIM_ACTION', `reservation ${input.sessionId} is not one ${this.key} made; give its evseId`);
    const answer = await this.deps.link.send('AuthorizeRemoteReservationStop', {
      SessionID: input.sessionId,
      ProviderID: this.providerId,
      EvseID: evseId,
    });
    this.activity.add(evseId, 'reservation-stop', `${input.sessionId}: ${outcome(answer)}`);
    return answer;
  }

  /**
   * PullEvseData with filters as a scenario or a curl gives them (CountryCodes, SearchCenter, LastCall, …): checked
   * against the OICP model before anything is sent, so a bad filter is the caller's error, named, not HBS's 400.
   */
  pullEvseData(
    filters: Readonly<Record<string, unknown>> = {},
    paging: { page?: number; size?: number } = {},
  ): Promise<HubAnswer<'PullEvseData'>> {
    const checked = checkRequest('PullEvseData', {
      GeoCoordinatesResponseFormat: 'DecimalDegree',
      ...filters,
      ProviderID: this.providerId,
    });
    if (!checked.request) {
      const listed = checked.violations
        .filter((v) => v.severity === 'error')
        .map((v) => `${v.pointer || '/'}: ${v.message}`)
        .join('; ');
      throw new SimError('SIM_INPUT', `PullEvseData filters do not fit the OICP 2.3 request: ${listed}`);
    }
    return this.deps.link.send('PullEvseData', checked.request, pagingQuery(paging.page, paging.size));
  }

  /** PullEvseStatusById when EvseIDs are given, else the full PullEvseStatus. */
  pullEvseStatus(
    input: { evseIds?: string[] } = {},
  ): Promise<HubAnswer<'PullEvseStatusById'> | HubAnswer<'PullEvseStatus'>> {
    if (input.evseIds?.length)
      return this.deps.link.send('PullEvseStatusById', { ProviderID: this.providerId, EvseID: input.evseIds });
    return this.deps.link.send('PullEvseStatus', { ProviderID: this.providerId });
  }

  /** CDRs HBS received for this EMP in a window (default: the last 24 hours). */
  getChargeDetailRecords(
    input: { from?: string; to?: string; page?: number; size?: number } = {},
  ): Promise<HubAnswer<'GetChargeDetailRecords'>> {
    const now = this.deps.clock.now();
    const body: RequestOf<'GetChargeDetailRecords'> = {
      ProviderID: this.providerId,
      From: input.from ?? new Date(now.getTime() - 86_400_000).toISOString(),
      To: input.to ?? new Date(now.getTime() + 60_000).toISOString(),
    };
    return this.deps.link.send('GetChargeDetailRecords', body, pagingQuery(input.page, input.size));
  }

  /** fullLoad of every unblocked customer: card UIDs as RFID media, contracts as Plug&Charge, PINs bcrypt-hashed. */
  async pushAuthenticationData(): Promise<HubAnswer<'PushAuthenticationData'>> {
    const records = this.deps.config.customers.filter((c) => !c.blocked).flatMap((c) => authenticationRecords(c));
    const answer = await this.deps.link.send('PushAuthenticationData', {
      ActionType: 'fullLoad',
      ProviderAuthenticationData: { ProviderID: this.providerId, AuthenticationDataRecord: records },
    });
    this.activity.add('*', 'auth-data', `${records.length} records: ${outcome(answer)}`);
    return answer;
  }

  // ── What HBS forwards ────────────────────────────────────────────────────────────────────────────────────────

  private async onAuthorizeStart(b: AuthorizeStartRequest): Promise<AuthorizationStartResponse> {
    const echo = {
      ...(b.SessionID ? { SessionID: b.SessionID } : {}),
      ...(b.CPOPartnerSessionID ? { CPOPartnerSessionID: b.CPOPartnerSessionID } : {}),
    };
    const d = decide(this.deps.config.customers, b.Identification);
    const where = b.EvseID ?? b.OperatorID;
    if (!d.authorized) {
      this.activity.add(where, 'authorize-start', `NotAuthorized ${d.code}: ${d.info}`);
      return { ...echo, AuthorizationStatus: 'NotAuthorized', StatusCode: statusCode(d.code, d.info) };
    }
    const EMPPartnerSessionID = randomUUID();
    if (b.SessionID)
      this.sessions.set(b.SessionID.toLowerCase(), {
        SessionID: b.SessionID,
        EMPPartnerSessionID,
        ...(b.EvseID ? { EvseID: b.EvseID } : {}),
        customer: d.customer.name,
        origin: 'authorized',
      });
    this.activity.add(where, 'authorize-start', `Authorized ${d.customer.name}, session ${b.SessionID ?? '?'}`);
    return {
      ...echo,
      EMPPartnerSessionID,
      ProviderID: this.providerId,
      AuthorizationStatus: 'Authorized',
      StatusCode: statusCode('000'),
      AuthorizationStopIdentifications: stopIdentifications(d.customer),
    };
  }

  /** Any medium of the customer who started the session may stop it; a known, unblocked customer otherwise. */
  private async onAuthorizeStop(b: AuthorizeStopRequest): Promise<AuthorizationStopResponse> {
    const echo = {
      SessionID: b.SessionID,
      ...(b.CPOPartnerSessionID ? { CPOPartnerSessionID: b.CPOPartnerSessionID } : {}),
    };
    const d = decide(this.deps.config.customers, b.Identification);
    const session = this.sessions.get(b.SessionID.toLowerCase());
    const where = b.EvseID ?? b.OperatorID;
    if (d.authorized && session && session.customer !== d.customer.name) {
      this.activity.add(
        where,
        'authorize-stop',
        `NotAuthorized: session ${b.SessionID} is ${session.customer}'s, not ${d.customer.name}'s`,
      );
      return {
        ...echo,
        AuthorizationStatus: 'NotAuthorized',
        StatusCode: statusCode('102', "another customer's session"),
      };
    }
    if (!d.authorized) {
      this.activity.add(where, 'authorize-stop', `NotAuthorized ${d.code}: ${d.info}`);
      return { ...echo, AuthorizationStatus: 'NotAuthorized', StatusCode: statusCode(d.code, d.info) };
    }
    this.activity.add(where, 'authorize-stop', `Authorized ${d.customer.name}, session ${b.SessionID}`);
    return {
      ...echo,
      ...(session ? { EMPPartnerSessionID: session.EMPPartnerSessionID } : {}),
      ProviderID: this.providerId,
      AuthorizationStatus: 'Authorized',
      StatusCode: statusCode('000'),
    };
  }

  private async onCdr(cdr: ChargeDetailRecord): Promise<Acknowledgement> {
    const duplicate = this.cdrs.some((c) => c.cdr.SessionID.toLowerCase() === cdr.SessionID.toLowerCase());
    this.cdrs.push({ receivedAt: this.deps.clock.now().toISOString(), cdr, duplicate });
    this.activity.add(
      cdr.EvseID,
      'cdr',
      `${cdr.SessionID} ${cdr.ConsumedEnergy} kWh${duplicate ? ' (duplicate)' : ''}`,
    );
    return ack(true, '000', undefined, { SessionID: cdr.SessionID });
  }

  private async onNotification(n: ChargingNotification): Promise<Acknowledgement> {
    this.notifications.push({ receivedAt: this.deps.clock.now().toISOString(), notification: n });
    this.activity.add(n.EvseID, 'notification', `${n.Type} ${n.SessionID}`);
    return ack(true, '000', undefined, { SessionID: n.SessionID });
  }

  // ── Helpers ──────────────────────────────────────────────────────────────────────────────────────────────────

  private contractCustomer(name: string | undefined): VirtualCustomer {
    const customers = this.deps.config.customers;
    if (name === undefined) {
      const first = customers.find((c) => c.evcoId && !c.blocked);
      if (!first)
        throw new SimError('SIM_ACTION', `${this.key} has no unblocked customer with an evcoId to start a charge for`);
      return first;
    }
    const medium = mediumOf({ RemoteIdentification: { EvcoID: name } });
    const found =
      customers.find((c) => c.name.toLowerCase() === name.toLowerCase()) ??
      (medium ? findCustomer(customers, medium) : undefined);
    if (!found)
      throw new SimError(
        'SIM_ACTION',
        `${this.key} has no customer ${name}; customers: ${customers.map((c) => c.name).join(', ')}`,
      );
    if (!found.evcoId)
      throw new SimError('SIM_ACTION', `customer ${found.name} has no evcoId, so no remote start or reservation`);
    return found;
  }

  private remember(
    answer: HubAnswer<'AuthorizeRemoteStart' | 'AuthorizeRemoteReservationStart'>,
    s: Omit<EmpSession, 'SessionID'>,
  ): void {
    if (!answer.ok || !answer.body.SessionID) return;
    this.sessions.set(answer.body.SessionID.toLowerCase(), { SessionID: answer.body.SessionID, ...s });
  }
}

function authenticationRecords(c: VirtualCustomer): Array<{ Identification: Identification }> {
  const out: Array<{ Identification: Identification }> = [];
  if (c.uid) out.push({ Identification: { RFIDMifareFamilyIdentification: { UID: c.uid } } });
  if (c.evcoId && c.pin) {
    out.push({
      Identification: {
        QRCodeIdentification: { EvcoID: c.evcoId, HashedPIN: { Value: bcrypt.hashSync(c.pin, 8), Function: 'Bcrypt' } },
      },
    });
  }
  if (c.evcoId) out.push({ Identification: { PlugAndChargeIdentification: { EvcoID: c.evcoId } } });
  return out;
}

function pagingQuery(page: number | undefined, size: number | undefined): Record<string, number> {
  return { ...(page === undefined ? {} : { page }), ...(size === undefined ? {} : { size }) };
}

function outcome(
  answer: HubAnswer<'AuthorizeRemoteStart'> | HubAnswer<'AuthorizeRemoteStop'> | HubAnswer<'PushAuthenticationData'>,
): string {
  if (!answer.ok) return `failed: ${answer.reason}`;
  return `${answer.body.Result ? 'accepted' : 'refused'} (${answer.body.StatusCode.Code}${answer.body.StatusCode.AdditionalInfo ? ` ${answer.body.StatusCode.AdditionalInfo}` : ''})`;
}
