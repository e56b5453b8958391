import type { HubSettings, Partner } from '../config/world/types.js';
import type { RequestOf, ResponseOf } from '../oicp/messages.js';
import type { OperationId } from '../oicp/operations.js';
import type { Background } from '../shared/background.js';
import type { Clock } from '../shared/clock.js';
import type { Exchange, ViolationRule } from '../shared/exchange.js';
import type { IdSource } from '../shared/ids.js';
import type { Logger } from '../shared/log.js';
import type { Recorder } from '../shared/recorder.js';
import type { AupGuard } from './aup.js';
import type { ClientTrust } from './client-trust.js';
import type { PartnerDirectory } from './directory.js';
import type { Forwarder } from './forward.js';
import type { HubState } from './state/index.js';

/** What every handler can use: settings, state, the partner directory, the outbound leg, and the shared services. */
export interface HubContext {
  settings: HubSettings;
  directory: PartnerDirectory;
  state: HubState;
  forwarder: Forwarder;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  recorder: Recorder;
  background: Background;
  /** Call limits and sequential pushes (Acceptable Use Policy); scenarios throttle through it. */
  aup: AupGuard;
  /** Which CA may vouch for which partner's client certificate (mTLS only). */
  clientTrust?: ClientTrust;
}

export interface OperationRequest<O extends OperationId> {
  operation: O;
  /** The sender, identified by its client certificate (or, in plain-HTTP mode, by the ID it claims). */
  partner: Partner;
  body: RequestOf<O>;
  query: URLSearchParams;
  pathIds: { operatorID?: string; providerID?: string };
  exchange: Exchange;
  hub: HubContext;
  /** Records a protocol rule the request broke without refusing it. */
  flag: (pointer: string, message: string, rule?: ViolationRule) => void;
}

export interface HandlerResult<O extends OperationId> {
  body: ResponseOf<O>;
  httpStatus?: number;
  /** The SessionID this exchange belongs to, for the monitor's session view. */
  sessionId?: string;
}

export type Handler<O extends OperationId> = (req: OperationRequest<O>) => Promise<HandlerResult<O>>;
export type HandlerTable = { [O in OperationId]: Handler<O> };
