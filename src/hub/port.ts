import type { HubSettings, Partner } from '../config/world/types.js';
import type { ChargeDetailRecord, EvseDataRecord } from '../oicp/messages.js';
import type { OperationId, ServiceType } from '../oicp/operations.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/log.js';
import type { Recorder } from '../shared/recorder.js';
import type { ForwardOptions, ForwardResult } from './forward.js';
import type { HubState } from './state/index.js';

export type { ForwardOptions, ForwardResult } from './forward.js';
export type { ForwardStatus, StoredCdr } from './state/cdrs.js';

/** The state HBS keeps, as those above the hub may read it: EVSE data and status, sessions, CDRs. */
export type HubStateView = Readonly<Pick<HubState, 'evseData' | 'evseStatus' | 'sessions' | 'cdrs'>>;

/**
 * Records put straight into the state HBS keeps, as if HBS had held them all along: EVSE data of a CPO (served by
 * PullEvseData, in no LastCall delta) and CDRs of an EMP (served by GetChargeDetailRecords, received now, not
 * forwarded). A scenario's seed step uses them so a paged pull has more than one page at any page size.
 */
export interface HeldRecords {
  evseData?: { operatorId: string; operatorName: string; records: readonly EvseDataRecord[] };
  cdrs?: { operatorId: string; providerId: string; cdrs: readonly ChargeDetailRecord[] };
}

/**
 * What the layers above the hub (the app, the process monitor, the certification harness) may use of a running hub:
 * where it listens, its recording, a view of the state it keeps, and the few levers a scenario pulls on purpose.
 * Handlers, the partner directory, the forwarder and the AUP guard stay the hub's own.
 */
export interface HubPort {
  /** The OICP base URL partners call, e.g. `https://127.0.0.1:8443/api/oicp`. */
  url: string;
  origin: string;
  port: number;
  settings: Readonly<HubSettings>;
  clock: Clock;
  logger: Logger;
  /** Every exchange in and out, as recorded. */
  recorder: Recorder;
  state: HubStateView;
  /** Registers a partner's Service URL for a service type, as Hubject's portal does when a partner configures it. */
  registerServiceUrl(partnerKey: string, service: ServiceType, url: string): void;
  /**
   * Answers the partner's next `times` calls of `operation` with 429 and this Retry-After (a scenario's throttle
   * step), whatever the AUP count; returns the Retry-After in whole seconds, as the header will say.
   */
  throttle(partnerId: string, operation: OperationId, times: number, retryAfterMs: number): number;
  clearThrottles(): void;
  /**
   * Loads records into HBS's state directly (a scenario's seed step), no push and no change history; throws when an
   * EvseID or SessionID is already held. `releaseHeld` removes every record loaded so (an item's teardown) and
   * returns how many.
   */
  hold(records: HeldRecords): void;
  releaseHeld(): number;
  /** Sends an operation to a partner as HBS does on a forwarded leg, recorded as such (a scenario's send step). */
  sendAsHbs(partner: Partner, operation: OperationId, body: unknown, options: ForwardOptions): Promise<ForwardResult>;
  /** Ends every pending forward now (recorded as cancelled), for a prompt shutdown. */
  cancelForwards(): void;
  /** Resolves when no background work (CDR forwards) is pending. */
  idle(): Promise<void>;
  close(): Promise<void>;
}
