import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChargePointErrorCode, ChargePointStatus } from '../../ocpp/messages.js';
import { ocppRpc, type RPCClient } from '../../ocpp/rpc.js';
import type { Clock } from '../../shared/clock.js';
import { messageOf } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import type { ChargePointReading, StationChargePoints, VirtualStation } from '../station/station.js';
import type { ReferenceFaultName } from './faults.js';

/**
 * The reference CPO's central system (CSMS): OCPP 1.6-J charge points connect to it, one per EVSE (connector 1),
 * and what they report drives the reference CPO's station as its test API would — a car plugged in (Preparing), an
 * RFID card (Authorize, which the CPO authorizes with HBS), the end of a charge (StopTransaction: a card at the
 * reader is an AuthorizeStop through HBS), a connector taken out of service (Unavailable) or failing during a charge
 * (Faulted: an Error notification). Its CDRs bill what the charge point metered: at StopTransaction the station
 * gets the transaction's meterStart/meterStop and timestamps. With it, `hbs-sim demo --ocpp` certifies the reference
 * CPO with no station triggers in its profile. It listens on loopback only, plain ws:// (both ends are this
 * process's).
 */

export interface ReferenceCsms extends StationChargePoints {
  /** ws://127.0.0.1:<port>/ocpp; a charge point connects at <url>/<identity>. */
  url: string;
  chargePoints: Array<{ id: string; connectors: Array<{ connectorId: number; evseId: string }> }>;
  close(): Promise<void>;
}

type Params = Record<string, unknown>;

/** OCPP errorCode of a Faulted connector → the OICP ErrorType of the Error notification it becomes. */
function errorTypeOf(code: ChargePointErrorCode): 'ConnectorError' | 'CriticalError' {
  return code === 'ConnectorLockFailure' || code === 'EVCommunicationError' ? 'ConnectorError' : 'CriticalError';
}

export async function startReferenceCsms(
  station: VirtualStation,
  evseIds: readonly string[],
  o: { clock: Clock; logger: Logger; faults: { has(fault: ReferenceFaultName): boolean } },
): Promise<ReferenceCsms> {
  const chargePoints = evseIds.map((evseId, i) => ({
    id: `RCP-${String(i + 1).padStart(4, '0')}`,
    connectors: [{ connectorId: 1, evseId }],
  }));
  const evseOf = new Map(chargePoints.map((cp) => [cp.id, cp.connectors[0]!.evseId]));
  /** The connected charge point of each EVSE (one each, so a charge point's frames name their EVSE). */
  const connected = new Map<string, RPCClient>();
  /** Each EVSE's running transaction as its charge point started it; `stopAuthorized` once HBS let a card end it. */
  const transactionAt = new Map<
    string,
    { transactionId: number; idTag: string; meterStartWh: number; startedAt: Date; stopAuthorized: boolean }
  >();
  /** Each EVSE's last ended transaction's meter (what the cdrMeterFromPreviousTransaction fault bills instead). */
  const previous = new Map<string, ChargePointReading>();
  let nextTransactionId = 1;
  const server = new (ocppRpc().RPCServer)({ protocols: ['ocpp1.6'], strictMode: true });
  // Its WebSocket server's errors come as an 'error' event, which unheard would end the process.
  server.on('error', (e: unknown) => o.logger.warn({ err: e }, 'reference CSMS: WebSocket server error'));
  server.auth((accept, reject, handshake) => {
    if (evseOf.has(handshake.identity)) accept();
    else reject(404, `no charge point ${handshake.identity} at the reference CPO`);
  });
  server.on('client', (client: RPCClient & { identity: string }) => {
    const evseId = evseOf.get(client.identity)!;
    connected.set(evseId, client);
    client.on('close', () => {
      if (connected.get(evseId) === client) connected.delete(evseId);
    });
    const running = () => station.view().find((e) => e.EvseID === evseId)?.session;
    const view = () => station.view().find((e) => e.EvseID === evseId)!;
    // What the charge point reports changes the station; a change its state does not allow is logged, and the
    // charge point still gets its answer (a CSMS does not refuse a StatusNotification).
    const act = (what: string, fn: () => unknown): void => {
      try {
        fn();
      } catch (e) {
        o.logger.info(
          { chargePoint: client.identity, evseId, err: messageOf(e) },
          `reference CSMS: ${what} not applied`,
        );
      }
    };
    client.handle('BootNotification', async () => ({
      status: 'Accepted',
      currentTime: o.clock.now().toISOString(),
      interval: 300,
    }));
    client.handle('Heartbeat', async () => ({ currentTime: o.clock.now().toISOString() }));
    client.handle('MeterValues', async () => ({}));
    client.handle('StatusNotification', async ({ params }: { params?: Params }) => {
      const status = params?.status as ChargePointStatus;
      const e = view();
      const session = running();
      if (status === 'Preparing' && !e.plugged) act('plug', () => station.plug(evseId));
      if (status === 'Available') {
        if (e.plugged && !session) act('unplug', () => station.unplug(evseId));
        if (e.status === 'OutOfService') act('back in service', () => station.setStatus(evseId, 'Available'));
      }
      if (status === 'Unavailable') act('out of service', () => station.setStatus(evseId, 'OutOfService'));
      if (status === 'Faulted') {
        const code = params?.errorCode as ChargePointErrorCode;
        if (session && session.phase !== 'ended') act('error', () => station.reportError(evseId, errorTypeOf(code)));
        else act('out of service', () => station.setStatus(evseId, 'OutOfService'));
      }
      return {};
    });
    // A card at the reader: the CPO asks HBS (AuthorizeStart, or AuthorizeStop during a charge, which ends it when
    // HBS lets that card stop it; the charge point then stops as for a card of the transaction's group).
    client.handle('Authorize', async ({ params }: { params?: Params }) => {
      if (o.faults.has('idTagNotChecked') && !transactionAt.has(evseId)) return { idTagInfo: { status: 'Accepted' } };
      const r = await station.swipe(evseId, String(params?.idTag ?? '')).catch((e: unknown) => {
        o.logger.info({ evseId, err: messageOf(e) }, 'reference CSMS: Authorize refused');
        return undefined;
      });
      if (r?.action === 'stop') {
        const tx = transactionAt.get(evseId);
        if (!(r.authorized && r.done && tx)) return { idTagInfo: { status: 'Invalid' } };
        tx.stopAuthorized = true;
        return { idTagInfo: { status: 'Accepted', parentIdTag: tx.idTag } };
      }
      const status = !r?.authorized ? 'Invalid' : r.done ? 'Accepted' : 'ConcurrentTx';
      return { idTagInfo: { status } };
    });
    client.handle('StartTransaction', async ({ params }: { params?: Params }) => {
      const transactionId = nextTransactionId++;
      const session = running();
      // The CPO's session began at Authorize (its AuthorizeStart through HBS); a transaction without one is unknown.
      if (!session || session.phase === 'ended') return { idTagInfo: { status: 'Invalid' }, transactionId };
      transactionAt.set(evseId, {
        transactionId,
        idTag: String(params?.idTag ?? ''),
        meterStartWh: Number(params?.meterStart),
        startedAt: dateOf(params?.timestamp, o.clock),
        stopAuthorized: false,
      });
      return { idTagInfo: { status: 'Accepted' }, transactionId };
    });
    client.handle('StopTransaction', async ({ params }: { params?: Params }) => {
      const tx = transactionAt.get(evseId);
      if (!tx || tx.transactionId !== Number(params?.transactionId)) return { idTagInfo: { status: 'Accepted' } };
      transactionAt.delete(evseId);
      // The CSMS bills what the charge point metered: the CDR takes this transaction's meterStart and meterStop.
      const reading: ChargePointReading = {
        meterStartKWh: tx.meterStartWh / 1000,
        chargingStart: tx.startedAt,
        meterEndKWh: Number(params?.meterStop) / 1000,
        chargingEnd: dateOf(params?.timestamp, o.clock),
      };
      const billed = o.faults.has('cdrMeterFromPreviousTransaction') ? (previous.get(evseId) ?? reading) : reading;
      previous.set(evseId, reading);
      const session = running();
      if (!session || session.phase === 'ended') return { idTagInfo: { status: 'Accepted' } };
      // A card the charge point let stop by itself (its own): the CPO still asks HBS (AuthorizeStop) for the record.
      if (params?.reason === 'Local' && typeof params.idTag === 'string' && !tx.stopAuthorized) {
        await station.swipe(evseId, params.idTag).catch((e: unknown) => {
          o.logger.info({ evseId, err: messageOf(e) }, 'reference CSMS: AuthorizeStop for the stop not sent');
        });
      }
      // The energy has stopped at the charge point whatever HBS said of the card: the session ends with its meter.
      if (running()?.phase !== 'ended') act('stop', () => station.stop(evseId, billed));
      return { idTagInfo: { status: 'Accepted' } };
    });
  });
  const httpServer = http.createServer();
  httpServer.on('upgrade', server.handleUpgrade);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    chargePoints,
    // HBS's remote start reaches the EVSE's charge point first; the station answers HBS with what it said.
    remoteStart: async (evseId, session) => {
      // The fault: the EVSE after this one in the CPO's list, as a connector table off by one sends it.
      const target = o.faults.has('remoteStartToWrongConnector')
        ? evseIds[(evseIds.indexOf(evseId) + 1) % evseIds.length]!
        : evseId;
      const client = connected.get(target);
      if (!client) return 'unreachable';
      // OCPP idTags have at most 20 characters; a longer contract ID stands in as the session's own tag.
      const idTag =
        session.token.length <= 20 ? session.token : session.SessionID.replace(/-/g, '').slice(0, 20).toUpperCase();
      try {
        const answer = (await client.call('RemoteStartTransaction', { idTag, connectorId: 1 })) as { status?: string };
        if (o.faults.has('remoteStartRejectionIgnored')) return 'Accepted';
        return answer.status === 'Accepted' ? 'Accepted' : 'Rejected';
      } catch (e) {
        o.logger.info({ evseId, err: messageOf(e) }, 'reference CSMS: RemoteStartTransaction failed');
        return 'unreachable';
      }
    },
    remoteStop: async (evseId) => {
      const client = connected.get(evseId);
      const transactionId = transactionAt.get(evseId)?.transactionId;
      if (!client) return 'unreachable';
      if (transactionId === undefined) return 'none';
      try {
        const answer = (await client.call('RemoteStopTransaction', { transactionId })) as { status?: string };
        return answer.status === 'Accepted' ? 'Accepted' : 'Rejected';
      } catch (e) {
        o.logger.info({ evseId, err: messageOf(e) }, 'reference CSMS: RemoteStopTransaction failed');
        return 'unreachable';
      }
    },
    close: async () => {
      await server.close({ force: true }).catch(() => undefined);
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** A charge point's timestamp (OCPP dateTime), or now when it sent none the CSMS can read. */
function dateOf(v: unknown, clock: Clock): Date {
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? clock.now() : new Date(t);
}
