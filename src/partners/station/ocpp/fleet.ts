import { VIRTUAL_DEFAULTS } from '../../../config/world/virtual-schema.js';
import type { FrameLog } from '../../../ocpp/frames.js';
import type { ChargePointErrorCode } from '../../../ocpp/messages.js';
import type { Clock } from '../../../shared/clock.js';
import { messageOf, SimError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/log.js';
import { VirtualChargePoint } from './charge-point.js';

/**
 * The charge points of a CPO under test, connected to its CSMS, and the station actions of the catalogue performed
 * at them: a driver swiping a card, plugging in or out, ending a charge; a connector taken out of service, back, or
 * failing during a charge. Each action names its EVSE by EvseID, as scenarios do; the fleet finds the connector.
 */

export interface FleetSetup {
  url: string;
  ca?: string;
  callTimeoutMs?: number;
  chargePoints: Array<{ id: string; password?: string; connectors: Array<{ connectorId: number; evseId: string }> }>;
}

export interface FleetDeps {
  clock: Clock;
  logger: Logger;
  frames: FrameLog;
}

/** The station actions the fleet performs, by the trigger names the catalogue uses. */
export const STATION_ACTIONS = [
  'swipe',
  'plug',
  'unplug',
  'stop',
  'stopCharging',
  'setStatus',
  'reportError',
  'refuseRemoteStart',
] as const;
export type StationAction = (typeof STATION_ACTIONS)[number];

/**
 * OICP ErrorType (ChargingNotification Error) → the OCPP errorCode a charge point reports for it: a connector fault
 * is a lock failure at the connector, a critical error one the charge point cannot name more closely.
 */
const ERROR_CODES: Record<string, ChargePointErrorCode> = {
  ConnectorError: 'ConnectorLockFailure',
  CriticalError: 'InternalError',
};

export class ChargePointFleet {
  private readonly chargePoints: VirtualChargePoint[];
  private readonly at = new Map<string, { cp: VirtualChargePoint; connectorId: number }>();

  constructor(setup: FleetSetup, deps: FleetDeps) {
    this.chargePoints = setup.chargePoints.map((c) => {
      const cp = new VirtualChargePoint({
        id: c.id,
        url: `${setup.url.replace(/\/+$/, '')}/${encodeURIComponent(c.id)}`,
        ...(c.password ? { password: c.password } : {}),
        ...(setup.ca ? { ca: setup.ca } : {}),
        ...(setup.callTimeoutMs ? { callTimeoutMs: setup.callTimeoutMs } : {}),
        connectors: c.connectors.map(({ connectorId, evseId }) => ({
          connectorId,
          evseId,
          powerKw: VIRTUAL_DEFAULTS.vehiclePowerKw,
          meterStartKWh: VIRTUAL_DEFAULTS.meterStartKWh,
        })),
        ...deps,
      });
      for (const { connectorId, evseId } of c.connectors) this.at.set(evseId.toUpperCase(), { cp, connectorId });
      return cp;
    });
  }

  /** Connects and boots every charge point; the first failure is thrown after all were tried, the others named. */
  async connect(): Promise<void> {
    const results = await Promise.allSettled(this.chargePoints.map((cp) => cp.connect()));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failed.length === 0) return;
    const first = failed[0];
    if (failed.length === 1) throw first;
    const code = first instanceof SimError ? first.code : 'OCPP_CONNECT';
    throw new SimError(code, failed.map((e) => messageOf(e)).join('; '), { cause: first });
  }

  has(name: string): name is StationAction {
    return (STATION_ACTIONS as readonly string[]).includes(name);
  }

  /** The EvseIDs the charge points' connectors are. */
  evseIds(): string[] {
    return this.chargePoints.flatMap((cp) => cp.view().map((c) => c.evseId));
  }

  /**
   * Performs one station action; returns what happened at the charge point, in words, for the report. An action
   * the state does not allow, or a call the CSMS fails, throws (SIM_ACTION, OCPP_CALL).
   */
  async perform(name: string, input: Record<string, unknown>): Promise<string> {
    if (!this.has(name)) {
      throw new SimError(
        'SIM_ACTION',
        `${name} is no station action; the charge points do ${STATION_ACTIONS.join(', ')}`,
      );
    }
    const evseId = text(input, 'evseId');
    const target = this.at.get(evseId.toUpperCase());
    if (!target) {
      throw new SimError(
        'SIM_ACTION',
        `${evseId} is at none of the profile's charge points (their connectors are ${[...this.at.keys()].join(', ')}); add it as a connector under ocpp.chargePoints[].connectors, or use an EvseID listed there`,
      );
    }
    const { cp, connectorId } = target;
    const where = `${cp.id} connector ${connectorId}`;
    const connector = () => cp.view().find((c) => c.id === connectorId)!;
    switch (name) {
      case 'swipe': {
        const uid = text(input, 'uid');
        // A driver plugs in, then holds the card to the reader; a card at a charging connector ends the charge.
        const wasPlugged = connector().plugged;
        if (!connector().transaction && !wasPlugged) await cp.plug(connectorId);
        const r = await cp.swipe(connectorId, uid);
        if (r.action === 'stop' && !r.authorized) {
          return `${where}: the CSMS answered Authorize for ${uid} with ${r.status}; transaction ${r.transactionId} goes on`;
        }
        if (r.action === 'stop') {
          // The driver takes the car away: the connector is free for the next charge.
          await cp.unplug(connectorId);
          return `${where}: card ${uid} ended transaction ${r.transactionId} (StopTransaction), car unplugged`;
        }
        if (!r.authorized) {
          if (!wasPlugged) await cp.unplug(connectorId);
          return `${where}: the CSMS answered Authorize for ${uid} with ${r.status}; no transaction`;
        }
        if (r.transactionId !== undefined) return `${where}: ${uid} authorized, transaction ${r.transactionId} started`;
        // Authorized, but the CSMS did not accept the transaction: the driver gives up and takes the car away.
        if (!wasPlugged && connector().plugged) await cp.unplug(connectorId);
        return `${where}: ${uid} authorized; the CSMS did not accept the transaction`;
      }
      case 'plug':
        await cp.plug(connectorId);
        return `${where}: car plugged in`;
      case 'unplug':
        await cp.unplug(connectorId);
        return `${where}: car unplugged`;
      case 'stop':
      case 'stopCharging':
        await cp.stop(connectorId, 'Local');
        return `${where}: the driver ended the charge (StopTransaction, reason Local) and unplugged`;
      case 'setStatus': {
        const status = text(input, 'status');
        if (status === 'OutOfService') {
          await cp.setStatus(connectorId, 'Unavailable');
          return `${where}: Unavailable (StatusNotification)`;
        }
        if (status === 'Available') {
          await cp.setStatus(connectorId, 'Available');
          return `${where}: Available (StatusNotification)`;
        }
        throw new SimError(
          'SIM_ACTION',
          `a charge point cannot be set ${status} by itself: OutOfService and Available are station actions over OCPP; a reservation comes from the CSMS (ReserveNow), Occupied from a charge`,
        );
      }
      case 'refuseRemoteStart':
        cp.refuseNextRemoteStart(connectorId);
        return `${where}: will answer the next RemoteStartTransaction Rejected`;
      case 'reportError': {
        const errorType = text(input, 'errorType');
        const errorCode = ERROR_CODES[errorType];
        if (!errorCode) {
          throw new SimError(
            'SIM_INPUT',
            `"errorType" is one of ${Object.keys(ERROR_CODES).join(', ')}, got ${errorType}`,
          );
        }
        // A fault during a charge, as the catalogue means it: reported, the charge ends, and it clears (the EVSE is
        // not taken out of service; that is setStatus OutOfService).
        await cp.setStatus(connectorId, 'Faulted', errorCode);
        if (connector().plugged) await cp.unplug(connectorId);
        await cp.setStatus(connectorId, 'Available');
        return `${where}: Faulted with ${errorCode} (StatusNotification), the charge ended, the fault cleared (Available)`;
      }
    }
  }

  /** Clears refusals an item armed and the CSMS never triggered; a note for each. */
  disarm(): string[] {
    return this.chargePoints.flatMap((cp) =>
      cp.view().flatMap((c) => {
        if (!c.refuseRemoteStart) return [];
        cp.disarm(c.id);
        return [`${cp.id} connector ${c.id}: the refusal of the next RemoteStartTransaction was never used, cleared`];
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.chargePoints.map((cp) => cp.close()));
  }
}

function text(input: Record<string, unknown>, key: string): string {
  const v = input[key];
  if (typeof v !== 'string' || v === '') throw new SimError('SIM_INPUT', `the station action needs "${key}"`);
  return v;
}
