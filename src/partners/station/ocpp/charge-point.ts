import type { FrameLog } from '../../../ocpp/frames.js';
import {
  type CentralSystemAction,
  type CentralSystemCalls,
  type ChargePointAction,
  type ChargePointCalls,
  type ChargePointErrorCode,
  type ChargePointStatus,
  OCPP16_SUBPROTOCOL,
  type StopReason,
} from '../../../ocpp/messages.js';
import { ocppRpc, type RPCClient } from '../../../ocpp/rpc.js';
import { Background } from '../../../shared/background.js';
import type { Clock } from '../../../shared/clock.js';
import { messageOf, SimError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/log.js';
import { ChargePointConfiguration } from './configuration.js';
import { type Connector, type ConnectorSetup, energySample, meterWh, newConnector } from './connector.js';

/**
 * A virtual OCPP 1.6-J charge point: it connects to a CPO's central system (CSMS) as a charge point would, boots,
 * reports each connector's status, authorizes idTags, runs transactions with a meter (the same model as the OICP
 * virtual station: energy follows wall-clock charging time) and answers what a CSMS asks of it. Every frame goes to
 * the FrameLog. Calls to the CSMS wait a deadline of the run's clock; a call that fails is a SimError naming the
 * action and why, never a hang or an unhandled rejection.
 *
 * OCPP 1.6 edition 2, §4 (operations initiated by the charge point) and §5 (by the central system); OCPP-J 1.6.
 */

export interface ChargePointOptions {
  /** The charge point's OCPP identity (the last path segment of the connection URL). */
  id: string;
  /** The CSMS endpoint, ws:// or wss:// (the identity is appended as a path segment). */
  url: string;
  /** Security profiles 1 and 2: HTTP Basic auth with the identity as user name. */
  password?: string;
  /** Certificate authority (PEM) a wss:// CSMS's certificate must chain to; the system's otherwise. */
  ca?: string;
  connectors: ConnectorSetup[];
  vendor?: string;
  model?: string;
  clock: Clock;
  logger: Logger;
  frames: FrameLog;
  /** Protocol milliseconds a call to the CSMS may take (OCPP-J leaves it to the implementation); default 30 s. */
  callTimeoutMs?: number;
}

/** OCPP-J sets no response timeout; 30 s is what common charge point firmware waits before it gives up on a call. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
/**
 * The largest WebSocket message the charge point takes from a CSMS. ws would take 100 MiB; the largest call a CSMS
 * sends this charge point (GetConfiguration, ChangeConfiguration, RemoteStartTransaction with a charging profile)
 * is a few KiB, so a bigger frame is a broken or hostile CSMS and closes the connection (1009) before it is parsed.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;
/**
 * After a connection it had is lost, the charge point reconnects as real ones do, up to this many times with these
 * delays (real milliseconds: they wait for a CSMS to come back, not for a protocol deadline; 0.5 + 1 + 2 + 4 + 8 s).
 * A CSMS that closes the socket after an error it answered then costs the item that caused it, not every station
 * action after it.
 */
const RECONNECT = {
  maxReconnects: 5,
  backoff: { initialDelay: 500, maxDelay: 8000, factor: 2, randomisationFactor: 0.2 },
};
/** Protocol milliseconds a closing handshake may take before the socket is dropped. */
const CLOSE_TIMEOUT_MS = 5000;
/** Heartbeat interval before the CSMS sets one in BootNotification.conf (OCPP 1.6 §9.1 HeartbeatInterval). */
const DEFAULT_HEARTBEAT_S = 300;

export interface SwipeOutcome {
  action: 'start' | 'stop';
  authorized: boolean;
  status?: string;
  transactionId?: number;
}

export class VirtualChargePoint {
  readonly id: string;
  readonly configuration: ChargePointConfiguration;
  private readonly client: RPCClient;
  private readonly connectors = new Map<number, Connector>();
  private readonly background: Background;
  private readonly closing = new AbortController();
  private heartbeatS = DEFAULT_HEARTBEAT_S;
  private booted = false;

  constructor(private readonly o: ChargePointOptions) {
    this.id = o.id;
    this.background = new Background(o.logger);
    for (const setup of o.connectors) this.connectors.set(setup.connectorId, newConnector(setup));
    this.configuration = new ChargePointConfiguration(this.connectors.size);
    this.client = new (ocppRpc().RPCClient)({
      endpoint: o.url,
      identity: o.id,
      protocols: [OCPP16_SUBPROTOCOL],
      strictMode: true,
      password: o.password ?? null,
      callTimeoutMs: o.clock.deadline(o.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS),
      reconnect: true,
      ...RECONNECT,
      wsOpts: { ...(o.ca ? { ca: o.ca } : {}), minVersion: 'TLSv1.2', maxPayload: MAX_FRAME_BYTES },
    } as ConstructorParameters<ReturnType<typeof ocppRpc>['RPCClient']>[0]);
    this.client.on('message', ({ message, outbound }: { message: Buffer | string; outbound: boolean }) => {
      o.frames.add(o.id, outbound ? 'cp→csms' : 'csms→cp', String(message), o.clock.now());
    });
    // ocpp-rpc reports a socket's failure here as well as to the pending calls: logged, never thrown.
    this.client.on('socketError', (e: unknown) => o.logger.warn({ err: e, chargePoint: o.id }, 'OCPP socket error'));
    // Back after a lost connection: the CSMS hears every connector's status again (what a charge point that
    // reconnects without rebooting reports), while calls made meanwhile were waiting for the socket.
    this.client.on('open', () => {
      if (!this.booted || this.closing.signal.aborted) return;
      o.logger.info({ chargePoint: o.id }, 'reconnected to the CSMS');
      this.background.run(async () => {
        for (const c of this.connectors.values()) await this.reportStatus(c.id, c.status, c.errorCode);
      });
    });
    this.handleCentralSystem();
  }

  /** Connects, boots (retrying while the CSMS answers Pending) and reports every connector's status. */
  async connect(): Promise<void> {
    try {
      await this.client.connect();
    } catch (e) {
      throw new SimError(
        'OCPP_CONNECT',
        `charge point ${this.id} could not connect to ${this.o.url}: ${describeRpcError(e)}; check the CSMS URL, its certificate (wss://) and the charge point's password`,
        { cause: e },
      );
    }
    await this.boot();
    this.background.run(() => this.heartbeats());
  }

  private async boot(): Promise<void> {
    for (;;) {
      const conf = await this.call('BootNotification', {
        chargePointVendor: this.o.vendor ?? 'hbs-sim',
        chargePointModel: this.o.model ?? 'virtual charge point',
      }).catch((e: unknown) => {
        const why = e instanceof SimError && e.cause !== undefined ? describeRpcError(e.cause) : messageOf(e);
        throw new SimError('OCPP_BOOT', `the CSMS did not accept ${this.id}'s BootNotification: ${why}`, { cause: e });
      });
      if (conf.interval > 0) this.heartbeatS = conf.interval;
      this.configuration.set('HeartbeatInterval', String(this.heartbeatS));
      if (conf.status === 'Accepted') break;
      if (conf.status === 'Rejected') {
        throw new SimError(
          'OCPP_BOOT',
          `the CSMS rejected ${this.id}'s BootNotification (status Rejected); register the charge point identity ${this.id} in the CSMS`,
        );
      }
      // Pending: the CSMS wants time (OCPP 1.6 §4 Boot Notification); ask again after its interval.
      await this.o.clock.sleep(Math.max(1, conf.interval) * 1000, this.closing.signal);
    }
    this.booted = true;
    await this.reportStatus(0, 'Available');
    for (const c of this.connectors.values()) await this.reportStatus(c.id, c.status, c.errorCode);
  }

  private async heartbeats(): Promise<void> {
    while (!this.closing.signal.aborted) {
      const slept = await this.o.clock.sleep(this.heartbeatS * 1000, this.closing.signal).then(
        () => true,
        () => false,
      );
      if (!slept) return;
      await this.call('Heartbeat', {}).catch((e: unknown) =>
        this.o.logger.warn({ err: e, chargePoint: this.id }, 'Heartbeat failed'),
      );
    }
  }

  /** The connectors as they are now. */
  view(): Array<Omit<Connector, 'meterTimer'>> {
    return [...this.connectors.values()].map(({ meterTimer: _, ...c }) => structuredClone(c));
  }

  /**
   * The next RemoteStartTransaction for this connector is answered Rejected although the connector is free, as a
   * charge point does whose self-test fails at the start: the CSMS cannot know before it asks.
   */
  refuseNextRemoteStart(connectorId: number): void {
    this.connector(connectorId).refuseRemoteStart = true;
  }

  /** Clears an armed refusal (refuseNextRemoteStart). */
  disarm(connectorId: number): void {
    this.connector(connectorId).refuseRemoteStart = false;
  }

  /** The driver plugs the car in: Preparing, and a transaction starts if an idTag was accepted for it. */
  async plug(connectorId: number): Promise<void> {
    const c = this.connector(connectorId);
    c.plugged = true;
    if (c.status === 'Available') await this.setConnectorStatus(c, 'Preparing');
    if (c.authorizedIdTag && !c.transaction) await this.startTransaction(c, c.authorizedIdTag);
  }

  /** The driver unplugs: a running transaction ends (EVDisconnected) and the connector is Available again. */
  async unplug(connectorId: number): Promise<void> {
    const c = this.connector(connectorId);
    c.plugged = false;
    if (c.transaction) await this.stopTransaction(c, 'EVDisconnected');
    c.authorizedIdTag = undefined;
    if (['Preparing', 'Finishing', 'SuspendedEV', 'SuspendedEVSE'].includes(c.status)) {
      await this.setConnectorStatus(c, 'Available');
    }
  }

  /**
   * An RFID card at the reader. During a transaction the card that started it stops it; another card stops it only
   * if the CSMS accepts it as one of the same group (Authorize, parentIdTag equal to the transaction's: OCPP 1.6
   * §4 Stop Transaction, a stop by another idTag). Else the card is authorized with the CSMS and, once accepted, starts a
   * transaction on a plugged car.
   */
  async swipe(connectorId: number, idTag: string): Promise<SwipeOutcome> {
    const c = this.connector(connectorId);
    const tx = c.transaction;
    if (tx) {
      if (idTag !== tx.idTag) {
        const conf = await this.call('Authorize', { idTag });
        const group = tx.parentIdTag ?? tx.idTag;
        if (conf.idTagInfo.status !== 'Accepted' || conf.idTagInfo.parentIdTag !== group) {
          return { action: 'stop', authorized: false, status: conf.idTagInfo.status, transactionId: tx.transactionId };
        }
      }
      await this.stopTransaction(c, 'Local', idTag);
      return { action: 'stop', authorized: true, transactionId: tx.transactionId };
    }
    const conf = await this.call('Authorize', { idTag });
    if (conf.idTagInfo.status !== 'Accepted') {
      return { action: 'start', authorized: false, status: conf.idTagInfo.status };
    }
    c.authorizedIdTag = idTag;
    if (!c.plugged) {
      if (c.status === 'Available') await this.setConnectorStatus(c, 'Preparing');
      return { action: 'start', authorized: true, status: 'Accepted' };
    }
    const transactionId = await this.startTransaction(c, idTag);
    return { action: 'start', authorized: true, status: 'Accepted', ...(transactionId ? { transactionId } : {}) };
  }

  /** The driver ends the connector's transaction (reason Local unless given) and takes the car away. */
  async stop(connectorId: number, reason: StopReason = 'Local'): Promise<void> {
    const c = this.connector(connectorId);
    if (!c.transaction) throw new SimError('SIM_ACTION', `connector ${connectorId} of ${this.id} has no transaction`);
    await this.endAndLeave(c, reason);
  }

  /** The transaction ends, and the virtual driver takes the car away, so the connector is free for the next charge. */
  private async endAndLeave(c: Connector, reason: StopReason): Promise<void> {
    await this.stopTransaction(c, reason);
    if (c.plugged) await this.unplug(c.id);
  }

  /** A fault (Faulted with an error code), taken out of service (Unavailable), or back (Available). */
  async setStatus(
    connectorId: number,
    status: 'Available' | 'Unavailable' | 'Faulted',
    errorCode: ChargePointErrorCode = status === 'Faulted' ? 'OtherError' : 'NoError',
  ): Promise<void> {
    const c = this.connector(connectorId);
    c.errorCode = errorCode;
    if (status !== 'Available' && c.transaction) {
      // The fault (or the operator) comes first; the transaction it ends follows, and the connector stays as set.
      await this.reportStatus(c.id, status, errorCode);
      c.status = status;
      await this.stopTransaction(c, status === 'Faulted' ? 'Other' : 'Local', undefined, status);
      return;
    }
    await this.setConnectorStatus(c, status === 'Available' && c.plugged ? 'Preparing' : status);
  }

  /** Disconnects (a normal closure) and stops every timer; pending background work is awaited. */
  async close(): Promise<void> {
    this.closing.abort(new SimError('SIM_ACTION', `charge point ${this.id} closed`));
    for (const c of this.connectors.values()) clearTimeout(c.meterTimer);
    // A CSMS that never completes the closing handshake does not hold the run: the socket is dropped after a while.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gave = await Promise.race([
      this.client.close({ code: 1000, reason: 'closed', force: !this.booted }).then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), this.o.clock.deadline(CLOSE_TIMEOUT_MS));
      }),
    ]);
    clearTimeout(timer);
    if (!gave) await this.client.close({ force: true }).catch(() => undefined);
    await this.background.idle();
  }

  private connector(connectorId: number): Connector {
    const c = this.connectors.get(connectorId);
    if (!c) {
      throw new SimError(
        'SIM_ACTION',
        `${this.id} has no connector ${connectorId}; it has ${[...this.connectors.keys()].join(', ')}`,
      );
    }
    return c;
  }

  private async startTransaction(c: Connector, idTag: string, reservationId?: number): Promise<number | undefined> {
    const startedAt = this.o.clock.now();
    const meterStart = meterWh(c, startedAt.getTime());
    const conf = await this.call('StartTransaction', {
      connectorId: c.id,
      idTag,
      meterStart,
      timestamp: startedAt.toISOString(),
      ...(reservationId !== undefined ? { reservationId } : {}),
    });
    c.reservation = undefined;
    c.authorizedIdTag = undefined;
    c.transaction = {
      transactionId: conf.transactionId,
      idTag,
      ...(conf.idTagInfo.parentIdTag ? { parentIdTag: conf.idTagInfo.parentIdTag } : {}),
      meterStartWh: meterStart,
      startedAtMs: startedAt.getTime(),
    };
    await this.setConnectorStatus(c, 'Charging');
    // OCPP 1.6 §9.1 StopTransactionOnInvalidId (true here): a transaction the CSMS did not accept ends at once.
    if (conf.idTagInfo.status !== 'Accepted') {
      await this.stopTransaction(c, 'DeAuthorized');
      return undefined;
    }
    this.scheduleMeterValues(c);
    return conf.transactionId;
  }

  private async stopTransaction(
    c: Connector,
    reason: StopReason,
    idTag?: string,
    /** The status the connector is left in; default Finishing with a car, else Available (Unavailable if scheduled). */
    then?: ChargePointStatus,
  ): Promise<void> {
    const tx = c.transaction;
    if (!tx) return;
    clearTimeout(c.meterTimer);
    const at = this.o.clock.now();
    const meterStop = meterWh(c, at.getTime());
    c.meterKWh = meterStop / 1000;
    c.transaction = undefined;
    await this.call('StopTransaction', {
      transactionId: tx.transactionId,
      meterStop,
      timestamp: at.toISOString(),
      // Only a card at the reader names who stopped it (OCPP 1.6 StopTransaction.req idTag); a button or HBS does not.
      ...(idTag ? { idTag } : {}),
      reason,
      transactionData: [
        energySample(new Date(tx.startedAtMs), tx.meterStartWh, 'Transaction.Begin'),
        energySample(at, meterStop, 'Transaction.End'),
      ],
    });
    if (then) {
      c.pendingInoperative = false;
      return;
    }
    const next: ChargePointStatus = c.pendingInoperative ? 'Unavailable' : c.plugged ? 'Finishing' : 'Available';
    c.pendingInoperative = false;
    await this.setConnectorStatus(c, next);
  }

  private scheduleMeterValues(c: Connector): void {
    const intervalS = Number(this.configuration.get('MeterValueSampleInterval'));
    if (!(intervalS > 0)) return;
    c.meterTimer = setTimeout(
      () => {
        const tx = c.transaction;
        if (!tx || this.closing.signal.aborted) return;
        this.background.run(async () => {
          await this.sendMeterValues(c, 'Sample.Periodic');
          if (c.transaction === tx) this.scheduleMeterValues(c);
        });
      },
      this.o.clock.scale(intervalS * 1000),
    );
  }

  private async sendMeterValues(c: Connector, context: 'Sample.Periodic' | 'Trigger'): Promise<void> {
    const now = this.o.clock.now();
    await this.call('MeterValues', {
      connectorId: c.id,
      ...(c.transaction ? { transactionId: c.transaction.transactionId } : {}),
      meterValue: [energySample(now, meterWh(c, now.getTime()), context)],
    });
  }

  private async setConnectorStatus(c: Connector, status: ChargePointStatus): Promise<void> {
    c.status = status;
    if (status !== 'Faulted') c.errorCode = 'NoError';
    await this.reportStatus(c.id, status, c.errorCode);
  }

  private async reportStatus(
    connectorId: number,
    status: ChargePointStatus,
    errorCode: ChargePointErrorCode = 'NoError',
  ): Promise<void> {
    await this.call('StatusNotification', {
      connectorId,
      errorCode,
      status,
      timestamp: this.o.clock.now().toISOString(),
    });
  }

  /** One call to the CSMS; a failure is OCPP_CALL naming the action and what went wrong. */
  private async call<A extends ChargePointAction>(
    action: A,
    req: ChargePointCalls[A]['req'],
  ): Promise<ChargePointCalls[A]['conf']> {
    const failed = (e: unknown): SimError =>
      new SimError('OCPP_CALL', `${this.id}'s ${action} to the CSMS failed: ${describeRpcError(e)}`, { cause: e });
    try {
      return (await this.client.call(action, req)) as ChargePointCalls[A]['conf'];
    } catch (e) {
      // A call the lost connection took with it is sent again once the charge point is back (OCPP 1.6 asks this of
      // transaction messages; for the others it keeps one dropped socket from failing a station action).
      if (!lostWithConnection(e) || !(await this.reconnected())) throw failed(e);
      try {
        return (await this.client.call(action, req)) as ChargePointCalls[A]['conf'];
      } catch (again) {
        throw failed(again);
      }
    }
  }

  /** Whether the socket is (or gets) open again within a call's deadline; false once the client gave up or closed. */
  private reconnected(): Promise<boolean> {
    if (this.closing.signal.aborted) return Promise.resolve(false);
    if (this.client.state === ocppRpc().RPCClient.OPEN) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.client.off('open', onOpen);
        this.client.off('close', onClose);
        resolve(ok);
      };
      const onOpen = (): void => done(true);
      const onClose = (): void => done(false);
      const timer = setTimeout(
        () => done(false),
        this.o.clock.deadline(this.o.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS),
      );
      this.client.on('open', onOpen);
      this.client.on('close', onClose);
    });
  }

  /** Runs work after the current answer is sent: a CSMS expects its CALLRESULT before the calls it causes. */
  private after(task: () => Promise<unknown>): void {
    setImmediate(() => {
      if (!this.closing.signal.aborted) this.background.run(task);
    });
  }

  private handleCentralSystem(): void {
    const on = <A extends CentralSystemAction>(
      action: A,
      handler: (req: CentralSystemCalls[A]['req']) => CentralSystemCalls[A]['conf'],
    ): void => {
      this.client.handle(action, async ({ params }: { params?: Record<string, unknown> }) =>
        handler(params as CentralSystemCalls[A]['req']),
      );
    };
    on('RemoteStartTransaction', ({ idTag, connectorId }) => {
      const c =
        connectorId !== undefined
          ? this.connectors.get(connectorId)
          : [...this.connectors.values()].find((x) => x.status === 'Available' || x.status === 'Preparing');
      const free =
        c && !c.transaction && (c.status === 'Available' || c.status === 'Preparing' || reservedFor(c, idTag));
      if (!c || !free) return { status: 'Rejected' };
      if (c.refuseRemoteStart) {
        c.refuseRemoteStart = false;
        return { status: 'Rejected' };
      }
      // The driver's car is at the connector (a remote start is asked for from the driver's app there).
      this.after(async () => {
        c.plugged = true;
        if (c.status === 'Available') await this.setConnectorStatus(c, 'Preparing');
        if (this.configuration.get('AuthorizeRemoteTxRequests') === 'true') {
          const auth = await this.call('Authorize', { idTag });
          if (auth.idTagInfo.status !== 'Accepted') return;
        }
        await this.startTransaction(c, idTag, c.reservation?.reservationId);
      });
      return { status: 'Accepted' };
    });
    on('RemoteStopTransaction', ({ transactionId }) => {
      const c = [...this.connectors.values()].find((x) => x.transaction?.transactionId === transactionId);
      if (!c) return { status: 'Rejected' };
      this.after(() => this.endAndLeave(c, 'Remote'));
      return { status: 'Accepted' };
    });
    on('ChangeAvailability', ({ connectorId, type }) => {
      const targets = connectorId === 0 ? [...this.connectors.values()] : [this.connectors.get(connectorId)];
      if (targets.some((c) => c === undefined)) return { status: 'Rejected' };
      let scheduled = false;
      for (const c of targets as Connector[]) {
        if (type === 'Inoperative' && c.transaction) {
          c.pendingInoperative = true;
          scheduled = true;
        } else {
          c.pendingInoperative = false;
          const next = type === 'Inoperative' ? 'Unavailable' : c.plugged ? 'Preparing' : 'Available';
          if (c.status !== next && !(type === 'Operative' && c.status !== 'Unavailable')) {
            this.after(() => this.setConnectorStatus(c, next));
          }
        }
      }
      return { status: scheduled ? 'Scheduled' : 'Accepted' };
    });
    on('UnlockConnector', ({ connectorId }) => {
      const c = this.connectors.get(connectorId);
      if (!c) return { status: 'NotSupported' };
      if (c.transaction) this.after(() => this.stopTransaction(c, 'UnlockCommand'));
      return { status: 'Unlocked' };
    });
    on('Reset', ({ type }) => {
      this.after(async () => {
        for (const c of this.connectors.values())
          await this.stopTransaction(c, type === 'Hard' ? 'HardReset' : 'SoftReset');
        await this.boot();
      });
      return { status: 'Accepted' };
    });
    on('TriggerMessage', ({ requestedMessage, connectorId }) => {
      const c = connectorId !== undefined ? this.connectors.get(connectorId) : undefined;
      if (connectorId !== undefined && !c) return { status: 'Rejected' };
      const send: Partial<Record<typeof requestedMessage, () => Promise<unknown>>> = {
        BootNotification: () => this.boot(),
        Heartbeat: () => this.call('Heartbeat', {}),
        StatusNotification: async () => {
          for (const x of c ? [c] : this.connectors.values()) await this.reportStatus(x.id, x.status, x.errorCode);
        },
        MeterValues: async () => {
          for (const x of c ? [c] : this.connectors.values()) await this.sendMeterValues(x, 'Trigger');
        },
      };
      const task = send[requestedMessage];
      if (!task) return { status: 'NotImplemented' };
      this.after(task);
      return { status: 'Accepted' };
    });
    on('ReserveNow', ({ connectorId, expiryDate, idTag, reservationId }) => {
      const c = this.connectors.get(connectorId);
      if (!c) return { status: 'Rejected' };
      if (c.status === 'Faulted') return { status: 'Faulted' };
      if (c.status === 'Unavailable') return { status: 'Unavailable' };
      if (
        c.transaction ||
        (c.reservation && c.reservation.reservationId !== reservationId) ||
        c.status !== 'Available'
      ) {
        return { status: c.reservation?.reservationId === reservationId ? 'Accepted' : 'Occupied' };
      }
      c.reservation = { reservationId, idTag, expiryDate };
      this.after(() => this.setConnectorStatus(c, 'Reserved'));
      return { status: 'Accepted' };
    });
    on('CancelReservation', ({ reservationId }) => {
      const c = [...this.connectors.values()].find((x) => x.reservation?.reservationId === reservationId);
      if (!c) return { status: 'Rejected' };
      c.reservation = undefined;
      this.after(() => this.setConnectorStatus(c, 'Available'));
      return { status: 'Accepted' };
    });
    on('GetConfiguration', ({ key }) => this.configuration.read(key));
    on('ChangeConfiguration', ({ key, value }) => ({ status: this.configuration.change(key, value) }));
  }
}

function reservedFor(c: Connector, idTag: string): boolean {
  return c.status === 'Reserved' && c.reservation?.idTag === idTag;
}

/** ocpp-rpc rejects the calls in flight when the socket closes with this AbortError. */
function lostWithConnection(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError' && e.message === 'Client disconnected';
}

/** An ocpp-rpc failure as a sentence: a CALLERROR's code and description, a timeout, an HTTP refusal, or else. */
export function describeRpcError(e: unknown): string {
  const x = e as { rpcErrorCode?: string; message?: string; code?: unknown; response?: unknown };
  if (x?.rpcErrorCode) return `CALLERROR ${x.rpcErrorCode}${x.message ? `: ${x.message}` : ''}`;
  if (e instanceof ocppRpc().TimeoutError) return 'no answer in time';
  if (e instanceof ocppRpc().UnexpectedHttpResponse)
    return `the CSMS answered the WebSocket upgrade with HTTP ${String(x.code)} ${x.message ?? ''}`.trim();
  return messageOf(e);
}
