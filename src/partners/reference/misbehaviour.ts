import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { ChargeDetailRecord, ChargingNotification, RequestOf, ResponseOf } from '../../oicp/messages.js';
import type { OperationId } from '../../oicp/operations.js';
import type { Clock } from '../../shared/clock.js';
import type { EndpointHandlers } from '../kit/endpoint.js';
import type { HubAnswer, HubSender } from '../kit/hub-link.js';
import type { ReferenceFaultName } from './faults.js';

/**
 * The reference partners' faults, applied at the two edges of a correct partner: what it sends to HBS (the link)
 * and what it answers HBS (its handlers). The partner's own code stays correct and readable; each fault is one
 * small, named change here, so a scenario failing under it points at exactly one broken rule.
 */

type Body = Record<string, unknown>;
type Send = <O extends OperationId>(
  operation: O,
  body: RequestOf<O>,
  query?: Record<string, string | number>,
) => Promise<HubAnswer<O>>;

const STORMS = { aupStorm: 400, pullStorm: 10 } as const;
const FOREIGN = { OperatorID: 'DE*ZZZ', ProviderID: 'DE-ZZZ' } as const;

export class Misbehaviour {
  private readonly active = new Set<ReferenceFaultName>();
  /** The SessionID of the last CDR sent, for cdrForAnotherSession. */
  private lastCdrSession: string | undefined;
  /** endAfterCdr: End notifications held back per SessionID, sent right after that session's CDR. */
  private readonly heldEnds = new Map<string, () => Promise<unknown>>();

  constructor(
    private readonly clock: Clock,
    /** The partner's own OperatorID/ProviderID. */
    private readonly partnerId: string,
    initial: Iterable<ReferenceFaultName> = [],
  ) {
    this.set(initial);
  }

  has(fault: ReferenceFaultName): boolean {
    return this.active.has(fault);
  }

  list(): ReferenceFaultName[] {
    return [...this.active];
  }

  /** How the partner takes a 429: it backs off, unless a fault makes it storm on, retry at once, or drop the call. */
  on429(): 'backoff' | 'retry-now' | 'give-up' {
    if (this.has('aupStorm') || this.has('pullStorm') || this.has('dropAfter429')) return 'give-up';
    return this.has('pushRetryAt429Immediately') || this.has('pullRetryAt429Immediately') ? 'retry-now' : 'backoff';
  }

  set(faults: Iterable<ReferenceFaultName>): void {
    this.active.clear();
    for (const f of faults) this.active.add(f);
  }

  /** The partner's link to HBS, with the outgoing faults applied. */
  link(inner: HubSender, pins: (evcoId: string) => string | undefined = () => undefined): HubSender {
    const send: Send = (operation, body, query) => inner.send(operation, body, query);
    const out: Send = async (operation, body, query) => {
      const b = structuredClone(body) as Body;
      switch (operation) {
        case 'PushEvseData':
        case 'PushEvseStatus':
          if (this.has('foreignOperatorId'))
            setIn(
              b,
              operation === 'PushEvseData' ? 'OperatorEvseData' : 'OperatorEvseStatus',
              'OperatorID',
              FOREIGN.OperatorID,
            );
          if (this.has('statusNotPushed') && operation === 'PushEvseStatus' && b.ActionType === 'update')
            return notSent(operation, 'statusNotPushed');
          if (this.has('parallelPushes')) return this.recordByRecord(send, operation, b, query);
          if (this.has('aupStorm') && operation === 'PushEvseData')
            return this.storm(send, operation, b, query, STORMS.aupStorm);
          break;
        case 'ChargingNotification': {
          const n = b as unknown as ChargingNotification;
          if (this.has('ownSessionId') && n.CPOPartnerSessionID) n.SessionID = n.CPOPartnerSessionID;
          if (this.has('notificationForUnknownSession')) n.SessionID = randomUUID();
          if (this.has('chargingDurationWrong') && typeof b.ChargingDuration === 'number')
            b.ChargingDuration = Math.round(b.ChargingDuration / 1000);
          if (this.has('endAfterCdr') && n.Type === 'End') {
            // The station waits for End's answer before its CDR, so the End is held here, not merely delayed.
            this.heldEnds.set(n.SessionID, () => send(operation, b as RequestOf<typeof operation>, query));
            return notSent(operation, 'endAfterCdr: held until after the CDR');
          }
          // The spaced form is what OICP 2.3 CPO 03 Data Types and the EMP 06 Code Snippets print; the enum is
          // ConnectorError.
          if (this.has('errorTypeSpaced') && n.Type === 'Error')
            b.ErrorType = String(b.ErrorType).replace(/Error$/, ' Error');
          if (this.has('noErrorNotification') && n.Type === 'Error') return notSent(operation, 'noErrorNotification');
          break;
        }
        case 'ChargeDetailRecord': {
          const cdr = b as unknown as ChargeDetailRecord;
          if (this.has('noCdr')) return notSent(operation, 'noCdr');
          if (this.has('ownSessionId') && cdr.CPOPartnerSessionID) cdr.SessionID = cdr.CPOPartnerSessionID;
          const own = cdr.SessionID;
          if (this.has('cdrForAnotherSession')) cdr.SessionID = this.lastCdrSession ?? randomUUID();
          this.lastCdrSession = own;
          if (this.has('cdrEnergyInconsistent')) cdr.ConsumedEnergy = Number((cdr.ConsumedEnergy + 1.5).toFixed(3));
          if (this.has('cdrChargingEndBeforeStart'))
            cdr.ChargingEnd = new Date(Date.parse(cdr.ChargingStart) - 60_000).toISOString();
          if (this.has('unsignedMeterValues')) delete cdr.SignedMeteringValues;
          if (this.has('signedValuesReversed')) cdr.SignedMeteringValues?.reverse();
          if (this.has('cdrLate')) await this.clock.busy(15_000);
          if (this.has('duplicateCdr')) await send(operation, b as RequestOf<typeof operation>, query);
          const heldEnd = this.heldEnds.get(own);
          if (heldEnd) {
            this.heldEnds.delete(own);
            const answer = await send(operation, b as RequestOf<typeof operation>, query);
            await heldEnd();
            return answer;
          }
          break;
        }
        case 'AuthorizeRemoteStart': {
          if (this.has('foreignProviderId')) b.ProviderID = FOREIGN.ProviderID;
          const first = await send(operation, b as RequestOf<typeof operation>, query);
          const refused = !first.ok || !(first.body as Body).Result;
          return refused && this.has('retryOnFailure')
            ? send(operation, b as RequestOf<typeof operation>, query)
            : first;
        }
        case 'AuthorizeRemoteStop':
        case 'AuthorizeRemoteReservationStop':
          if (this.has('stopWithOwnSessionId'))
            b.SessionID = typeof b.EMPPartnerSessionID === 'string' ? b.EMPPartnerSessionID : randomUUID();
          break;
        case 'PushEVSEPricing':
          if (this.has('pricingForeignEvse'))
            (b.EVSEPricing as Body[]).push({
              EvseID: 'DE*ZZZ*E0001*1',
              ProviderID: '*',
              EvseIDProductList: ['AC_STANDARD'],
            });
          break;
        case 'PullEVSEPricing':
          if (this.has('foreignProviderId')) b.ProviderID = FOREIGN.ProviderID;
          break;
        case 'PullEvseData':
          if (this.has('deltaWithFilters') && b.LastCall) b.CountryCodes = ['DEU'];
          break;
        case 'PullEvseStatus':
          if (this.has('pullStorm')) return this.storm(send, operation, b, query, STORMS.pullStorm);
          break;
        case 'PullEvseStatusById':
          if (this.has('statusByIdOver100'))
            b.EvseID = Array.from(
              { length: 101 },
              (_, i) => (b.EvseID as string[])[i % (b.EvseID as string[]).length]!,
            );
          break;
        case 'PushAuthenticationData':
          if (this.has('authDataWithoutCards')) withoutCards(b);
          if (this.has('pinHashSalted')) saltPins(b, pins);
          break;
      }
      const paged = operation === 'PullEvseData' || operation === 'GetChargeDetailRecords';
      const answer = await send(
        operation,
        b as RequestOf<typeof operation>,
        paged && this.has('oversizedPages') ? { ...query, size: 5000 } : query,
      );
      return this.received(operation, answer);
    };
    return { send: out };
  }

  /** The partner's handlers for what HBS forwards, with the answer faults applied. */
  handlers(inner: EndpointHandlers): EndpointHandlers {
    const wrapped: EndpointHandlers = { ...inner };
    const on = <O extends OperationId>(
      operation: O,
      fn: (b: RequestOf<O>, handle: (b: RequestOf<O>) => Promise<ResponseOf<O>>) => Promise<ResponseOf<O>>,
    ): void => {
      const handle = inner[operation] as ((b: RequestOf<O>) => Promise<ResponseOf<O>>) | undefined;
      if (handle) (wrapped as Record<string, unknown>)[operation] = (b: RequestOf<O>) => fn(b, handle);
    };
    on('AuthorizeRemoteStart', async (b, handle) => {
      if (this.has('slowRemoteStart')) await this.clock.busy(15_000);
      if (this.has('remoteStartTimeout')) await this.clock.busy(70_000);
      const a = structuredClone(await handle(b)) as Body & ResponseOf<'AuthorizeRemoteStart'>;
      const code = a.StatusCode.Code;
      if (this.has('acceptUnknownEvse') && code === '603')
        Object.assign(a, { Result: true, StatusCode: { Code: '000' } });
      else if (this.has('genericRefusal') && !a.Result)
        a.StatusCode = { Code: '022', Description: 'remote start not possible' };
      if (this.has('sessionIdNotEchoed')) delete a.SessionID;
      if (this.has('codeAsNumber')) (a.StatusCode as unknown as Body).Code = Number(a.StatusCode.Code);
      return a;
    });
    on('AuthorizeRemoteStop', async (b, handle) =>
      this.has('remoteStopIgnored') ? { Result: true, StatusCode: { Code: '000' }, SessionID: b.SessionID } : handle(b),
    );
    on('AuthorizeRemoteReservationStart', async (b, handle) => {
      const a = await handle(b);
      return this.has('doubleReservation') && a.StatusCode.Code === '601'
        ? { ...a, Result: true, StatusCode: { Code: '000' } }
        : a;
    });
    on('AuthorizeStart', async (b, handle) => {
      const a = await handle(b);
      if (this.has('authorizeUnknownTokens') && a.AuthorizationStatus !== 'Authorized')
        return { ...a, AuthorizationStatus: 'Authorized', StatusCode: { Code: '000' }, ProviderID: this.partnerId };
      return this.has('undefinedStatusCode') && a.AuthorizationStatus === 'NotAuthorized'
        ? { ...a, StatusCode: { Code: '201', Description: 'unknown card' } }
        : a;
    });
    on('AuthorizeStop', async (b, handle) => {
      const a = await handle(b);
      return this.has('authorizeStopAnyCard') && a.AuthorizationStatus !== 'Authorized'
        ? { ...a, AuthorizationStatus: 'Authorized', StatusCode: { Code: '000' } }
        : a;
    });
    on('ChargingNotification', async (b, handle) =>
      // An EMP that parses only the three types it acts on, and refuses the fourth.
      this.has('errorNotificationRefused') && b.Type === 'Error'
        ? { Result: false, StatusCode: { Code: '022', Description: 'unknown notification type' } }
        : handle(b),
    );
    on('ChargeDetailRecord', async (b, handle) => {
      // The endpoint answers a thrown handler with HTTP 500, as a crashing backend would.
      if (this.has('cdr500')) throw new Error('cdr500 fault: the CDR store is down');
      return handle(b);
    });
    return wrapped;
  }

  /** What the station makes of HBS's answers: the faults that act against an authorization. */
  private received<O extends OperationId>(operation: O, answer: HubAnswer<O>): HubAnswer<O> {
    if (!answer.ok) return answer;
    const a = answer.body as Body;
    const overrule =
      (operation === 'AuthorizeStart' && this.has('chargeWhenNotAuthorized')) ||
      (operation === 'AuthorizeStop' && this.has('stopWithAnyCard'));
    if (!overrule || a.AuthorizationStatus === 'Authorized') return answer;
    return {
      ...answer,
      body: { ...a, AuthorizationStatus: 'Authorized', SessionID: a.SessionID ?? randomUUID() } as ResponseOf<O>,
    };
  }

  private async recordByRecord<O extends OperationId>(
    send: Send,
    operation: O,
    b: Body,
    query?: Record<string, string | number>,
  ): Promise<HubAnswer<O>> {
    const [outer, list] =
      operation === 'PushEvseData'
        ? ['OperatorEvseData', 'EvseDataRecord']
        : ['OperatorEvseStatus', 'EvseStatusRecord'];
    const records = ((b[outer] as Body)[list] as unknown[]) ?? [];
    // The same ActionType each time, all at once, and the burst twice (as a CPO retrying a slow push would): the
    // first burst opens the connections, the second reuses them, so the pushes arrive together and overlap at HBS.
    const burst = () =>
      Promise.all(
        records.map((r) =>
          send(operation, { ...b, [outer]: { ...(b[outer] as Body), [list]: [r] } } as RequestOf<O>, query),
        ),
      );
    const answers = [...(await burst()), ...(await burst())];
    return answers.find((x) => !x.ok) ?? answers[0] ?? notSent(operation, 'parallelPushes');
  }

  private async storm<O extends OperationId>(
    send: Send,
    operation: O,
    b: Body,
    query: Record<string, string | number> | undefined,
    times: number,
  ): Promise<HubAnswer<O>> {
    let last: HubAnswer<O> | undefined;
    for (let i = 0; i < times; i++) last = await send(operation, b as RequestOf<O>, query);
    return last!;
  }
}

function setIn(b: Body, outer: string, key: string, value: unknown): void {
  if (b[outer] && typeof b[outer] === 'object') (b[outer] as Body)[key] = value;
}

function notSent<O extends OperationId>(operation: O, fault: string): HubAnswer<O> {
  return { ok: false, reason: `${operation} not sent (fault ${fault})`, exchangeId: '', durationMs: 0 };
}

const authRecords = (b: Body): Body[] =>
  ((b.ProviderAuthenticationData as Body | undefined)?.AuthenticationDataRecord as Body[] | undefined) ?? [];

/** Each uploaded QR code identification with its customer's PIN. */
function qrCodes(
  b: Body,
  pins: (evcoId: string) => string | undefined,
): Array<{ qr: Body; pin: string; evcoId: string }> {
  return authRecords(b).flatMap((r) => {
    const qr = (r.Identification as Body | undefined)?.QRCodeIdentification as Body | undefined;
    const pin = qr?.HashedPIN && typeof qr.EvcoID === 'string' ? pins(qr.EvcoID) : undefined;
    return qr && pin ? [{ qr, pin, evcoId: qr.EvcoID as string }] : [];
  });
}

/** pinHashSalted: a valid bcrypt hash, but of PIN + EvcoID; HBS compares the plain PIN against it and never matches. */
function saltPins(b: Body, pins: (evcoId: string) => string | undefined): void {
  for (const { qr, pin, evcoId } of qrCodes(b, pins)) (qr.HashedPIN as Body).Value = bcrypt.hashSync(pin + evcoId, 8);
}

/** authDataWithoutCards: the RFID card records are left out of the upload. */
function withoutCards(b: Body): void {
  const data = b.ProviderAuthenticationData as Body | undefined;
  if (data)
    data.AuthenticationDataRecord = authRecords(b).filter(
      (r) => !(r.Identification as Body | undefined)?.RFIDMifareFamilyIdentification,
    );
}
