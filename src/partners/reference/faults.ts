import type { Role } from '../../oicp/operations.js';
import { SimError } from '../../shared/errors.js';

/**
 * The reference partners' switches for breaking a rule on purpose (`hbs-sim reference cpo --fault <name>`): one per
 * rule the catalogue checks, each naming the scenarios that must catch it. The self-test (test/selftest) runs every
 * fault against the scenarios it targets and expects them to fail; a scenario no fault targets fails that test.
 * How each fault misbehaves is in src/partners/reference/misbehaviour.ts (what the partner sends and answers over
 * OICP) or, for the faults of the reference CPO's CSMS that act on its charge points, src/partners/reference/csms.ts.
 */

export interface ReferenceFault {
  role: Role;
  description: string;
  /** Checklist IDs of the scenarios that must fail when this fault is on. */
  targets: readonly string[];
  /**
   * AUP limits are per protocol minute; a storm the reference partner can send in real time only exceeds the scaled
   * window at the real time scale, so the self-test runs these at time scale 1.
   */
  realTime?: boolean;
  /** A fault of the CSMS: the self-test runs it with the reference CPO's charge points over OCPP. */
  ocpp?: boolean;
}

export const REFERENCE_FAULTS = {
  // ── CPO ──────────────────────────────────────────────────────────────────────────────────────────────────────
  parallelPushes: {
    role: 'CPO',
    description:
      'pushes EVSE data and status record by record, all at once (and the burst again), instead of one push after the other',
    targets: ['CPO-01', 'CPO-02'],
  },
  foreignOperatorId: {
    role: 'CPO',
    description: "pushes with another operator's OperatorID than its certificate's (HBS answers 017)",
    targets: ['CPO-03'],
  },
  ownSessionId: {
    role: 'CPO',
    description: 'sends notifications and CDRs with its own session ID instead of the SessionID HBS issued',
    targets: ['CPO-04'],
  },
  chargeWhenNotAuthorized: {
    role: 'CPO',
    description: 'starts charging although AuthorizeStart answered NotAuthorized',
    targets: ['CPO-05'],
  },
  stopWithAnyCard: {
    role: 'CPO',
    description: 'ends a session on any card, although AuthorizeStop answered NotAuthorized',
    targets: ['CPO-06'],
  },
  codeAsNumber: {
    role: 'CPO',
    description: 'answers remote starts with StatusCode.Code as a number (0) instead of the string "000"',
    targets: ['CPO-07'],
  },
  sessionIdNotEchoed: {
    role: 'CPO',
    description: 'answers remote starts without the SessionID HBS sent',
    targets: ['CPO-07'],
  },
  slowRemoteStart: {
    role: 'CPO',
    description: "answers remote starts after 15 s (within HBS's 60 s, over the 10 s best practice)",
    targets: ['CPO-07'],
  },
  acceptUnknownEvse: {
    role: 'CPO',
    description: 'accepts a remote start for an EVSE it does not have with 000 instead of 603',
    targets: ['CPO-08a'],
  },
  genericRefusal: {
    role: 'CPO',
    description: 'refuses remote starts with the generic 022 instead of the specific code (602, 700, 603)',
    targets: ['CPO-08a', 'CPO-08b', 'CPO-08c'],
  },
  remoteStartTimeout: {
    role: 'CPO',
    description: "answers remote starts after 70 s, past HBS's 60 s timeout",
    targets: ['CPO-09'],
  },
  remoteStopIgnored: { role: 'CPO', description: 'acknowledges a remote stop but keeps charging', targets: ['CPO-10'] },
  notificationForUnknownSession: {
    role: 'CPO',
    description: 'sends charging notifications with a SessionID HBS never issued',
    targets: ['CPO-11'],
  },
  endAfterCdr: {
    role: 'CPO',
    description: "holds the End notification back and sends it right after the session's CDR",
    targets: ['CPO-11'],
  },
  errorTypeSpaced: {
    role: 'CPO',
    description:
      'sends ErrorType "Connector Error" (as a spec table prints it) instead of the enum value ConnectorError',
    targets: ['CPO-11b'],
  },
  noErrorNotification: {
    role: 'CPO',
    description: 'ends a charge that failed without the Error notification',
    targets: ['CPO-11b'],
  },
  chargingDurationWrong: {
    role: 'CPO',
    description: 'sends ChargingDuration in seconds instead of milliseconds',
    targets: ['CPO-11'],
  },
  cdrEnergyInconsistent: {
    role: 'CPO',
    description: 'sends a CDR whose ConsumedEnergy is not MeterValueEnd − MeterValueStart',
    targets: ['CPO-12'],
  },
  cdrChargingEndBeforeStart: {
    role: 'CPO',
    description: 'sends a CDR whose ChargingEnd is before its ChargingStart',
    targets: ['CPO-12'],
  },
  unsignedMeterValues: {
    role: 'CPO',
    description: 'leaves SignedMeteringValues out of CDRs, also at EVSEs whose calibration is External',
    targets: ['CPO-12'],
  },
  signedValuesReversed: {
    role: 'CPO',
    description: 'sends SignedMeteringValues End first, Start last',
    targets: ['CPO-12'],
  },
  cdrForAnotherSession: {
    role: 'CPO',
    description: "sends a CDR under another session's SessionID (the previous session's, or one HBS never issued)",
    targets: ['CPO-12'],
  },
  cdrLate: { role: 'CPO', description: 'sends the CDR 15 s after the session ended (limit 10 s)', targets: ['CPO-12'] },
  noCdr: { role: 'CPO', description: 'sends no CDR after a session', targets: ['CPO-10', 'CPO-12'] },
  duplicateCdr: { role: 'CPO', description: 'sends every CDR twice', targets: ['CPO-13'] },
  pricingForeignEvse: {
    role: 'CPO',
    description: 'pushes a price for an EVSE of another operator (HBS answers 018)',
    targets: ['CPO-15'],
  },
  doubleReservation: {
    role: 'CPO',
    description: 'accepts a reservation for an EVSE that is already reserved (000 instead of 601)',
    targets: ['CPO-14'],
  },
  pushRetryAt429Immediately: {
    role: 'CPO',
    description: 'pushes again at once after 429 Too Many Requests, ignoring Retry-After',
    targets: ['CPO-16b'],
  },
  dropAfter429: {
    role: 'CPO',
    description: 'drops a push refused with 429 instead of sending it again after Retry-After',
    targets: ['CPO-16b'],
  },
  aupStorm: {
    role: 'CPO',
    description: 'pushes its EVSE data 400 times per trigger (AUP: 375 PushEvseData a minute)',
    targets: ['CPO-16'],
    realTime: true,
  },
  // ── CPO through OCPP: faults of the reference CPO's CSMS, run with its charge points (`demo --ocpp`) ──────────
  cdrMeterFromPreviousTransaction: {
    role: 'CPO',
    description:
      "bills each CDR with the meter of the EVSE's previous transaction instead of the one the charge point just stopped",
    targets: ['CPO-17'],
    ocpp: true,
  },
  statusNotPushed: {
    role: 'CPO',
    description: 'applies what its charge points report (StatusNotification) but pushes no EVSE status update to HBS',
    targets: ['CPO-18'],
    ocpp: true,
  },
  remoteStartToWrongConnector: {
    role: 'CPO',
    description:
      "sends HBS's remote start to the charge point of the next EVSE in its list (RemoteStartTransaction off by one)",
    targets: ['CPO-19'],
    ocpp: true,
  },
  remoteStartRejectionIgnored: {
    role: 'CPO',
    description: 'answers HBS 000 although its charge point rejected RemoteStartTransaction',
    targets: ['CPO-19'],
    ocpp: true,
  },
  idTagNotChecked: {
    role: 'CPO',
    description: 'accepts every card at its charge points (Authorize) without asking HBS',
    targets: ['CPO-20'],
    ocpp: true,
  },
  // ── EMP ──────────────────────────────────────────────────────────────────────────────────────────────────────
  firstPageOnly: {
    role: 'EMP',
    description: 'pulls only the first page of a paged answer',
    targets: ['EMP-01', 'EMP-13'],
  },
  largestPageOnly: {
    role: 'EMP',
    description: 'ignores the page size asked of it, pulls 2000 a page (the largest) and reads only the first page',
    targets: ['EMP-01', 'EMP-13'],
  },
  oversizedPages: {
    role: 'EMP',
    description: 'asks for 5000 records a page (OICP allows at most 2000) in paged pulls',
    targets: ['EMP-01', 'EMP-13'],
  },
  deltaWithFilters: {
    role: 'EMP',
    description: 'combines LastCall with other filters in a delta PullEvseData',
    targets: ['EMP-02'],
  },
  statusByIdOver100: {
    role: 'EMP',
    description: 'asks PullEvseStatusById for more than 100 EvseIDs at once',
    targets: ['EMP-03'],
  },
  foreignProviderId: {
    role: 'EMP',
    description:
      "starts charges and pulls prices with another provider's ProviderID than its certificate's (HBS answers 017)",
    targets: ['EMP-04', 'EMP-15'],
  },
  retryOnFailure: {
    role: 'EMP',
    description: 'sends a refused remote start again at once (risking a double session)',
    targets: ['EMP-05', 'EMP-06', 'EMP-07'],
  },
  stopWithOwnSessionId: {
    role: 'EMP',
    description: "stops charges and reservations with its own session ID instead of Hubject's SessionID",
    targets: ['EMP-08', 'EMP-14'],
  },
  authorizeUnknownTokens: {
    role: 'EMP',
    description: "authorizes every card, its customers' or not",
    targets: ['EMP-09'],
  },
  undefinedStatusCode: {
    role: 'EMP',
    description:
      'refuses unknown cards with StatusCode 201, which OICP 2.3 does not define (102 is RFID authentication failed)',
    targets: ['EMP-09'],
  },
  authorizeStopAnyCard: {
    role: 'EMP',
    description: "authorizes AuthorizeStop for any card, not only the session's",
    targets: ['EMP-10'],
  },
  errorNotificationRefused: {
    role: 'EMP',
    description: 'refuses charging notifications of type Error (Result false, 022)',
    targets: ['EMP-11'],
  },
  cdr500: { role: 'EMP', description: 'answers a forwarded CDR with HTTP 500', targets: ['EMP-11'] },
  authDataWithoutCards: {
    role: 'EMP',
    description: "uploads its customers' contracts but not their RFID cards, so HBS must ask it online",
    targets: ['EMP-12'],
  },
  pinHashSalted: {
    role: 'EMP',
    description: "hashes PIN + EvcoID for the upload (a salt HBS does not know), so the customer's PIN never matches",
    targets: ['EMP-12'],
  },
  pullRetryAt429Immediately: {
    role: 'EMP',
    description: 'pulls again at once after 429 Too Many Requests, ignoring Retry-After',
    targets: ['EMP-16b'],
  },
  pullStorm: {
    role: 'EMP',
    description: 'pulls all EVSE statuses 10 times per trigger (AUP: 6 PullEvseStatus a minute)',
    targets: ['EMP-16'],
  },
} as const satisfies Record<string, ReferenceFault>;

export type ReferenceFaultName = keyof typeof REFERENCE_FAULTS;
export const REFERENCE_FAULT_NAMES = Object.keys(REFERENCE_FAULTS) as ReferenceFaultName[];

/** Checks fault names given on the command line or to the test API; every unknown or wrong-role name is reported. */
export function parseFaultNames(names: readonly string[], role: Role): Set<ReferenceFaultName> {
  const problems = names.flatMap((n) => {
    const fault = (REFERENCE_FAULTS as Record<string, ReferenceFault>)[n];
    if (!fault) return [`${n} is not a fault`];
    return fault.role === role ? [] : [`${n} is a fault of the reference ${fault.role}`];
  });
  if (problems.length > 0) {
    const own = REFERENCE_FAULT_NAMES.filter((n) => REFERENCE_FAULTS[n].role === role);
    throw new SimError(
      'SIM_INPUT',
      `${problems.join('; ')}. The reference ${role}'s faults: ${own.join(', ')} (--list-faults describes them)`,
    );
  }
  return new Set(names as ReferenceFaultName[]);
}
