import { randomUUID } from 'node:crypto';
import type { StationStatus, VirtualStationConfig } from '../../config/world/types.js';
import { mediumOf } from '../../oicp/media.js';
import type { ChargeDetailRecord, ChargingNotification, EvseDataRecord, Identification } from '../../oicp/messages.js';
import type { Background } from '../../shared/background.js';
import type { Clock } from '../../shared/clock.js';
import type { ActivityLog } from '../kit/activity.js';
import type { FaultBook } from '../kit/faults.js';
import type { HubAnswer, HubSender } from '../kit/hub-link.js';
import { SignedMeter } from './metering.js';
import type { StationSession } from './session.js';

/**
 * What a virtual station tells HBS without waiting on the answer to act: EVSE data and status pushes, charging
 * notifications and CDRs. A session's notifications and its CDR go out one after the other, each once HBS has
 * answered the one before, so HBS sees Start → Progress → End → CDR however slowly the EMP acknowledges.
 */

export interface OutboxDeps {
  key: string;
  config: Pick<VirtualStationConfig, 'operatorId' | 'operatorName'>;
  link: HubSender;
  faults: FaultBook;
  clock: Clock;
  activity: ActivityLog;
  background: Background;
}

export class StationOutbox {
  /** Per SessionID, the tail of what is queued for it. */
  private readonly queues = new Map<string, Promise<void>>();
  /** Calibration-law meters, one key per External EVSE, made when its first CDR is signed. */
  private readonly meters = new Map<string, SignedMeter>();

  constructor(private readonly deps: OutboxDeps) {}

  pushEvseData(
    action: 'fullLoad' | 'insert' | 'update' | 'delete',
    records: EvseDataRecord[],
  ): Promise<HubAnswer<'PushEvseData'>> {
    const { config, link } = this.deps;
    return link.send('PushEvseData', {
      ActionType: action,
      OperatorEvseData: {
        OperatorID: config.operatorId,
        OperatorName: config.operatorName,
        EvseDataRecord: records,
      },
    });
  }

  pushEvseStatus(
    action: 'fullLoad' | 'update',
    statuses: Array<{ EvseID: string; EvseStatus: StationStatus }>,
  ): Promise<HubAnswer<'PushEvseStatus'>> {
    const { config, link } = this.deps;
    return link.send('PushEvseStatus', {
      ActionType: action,
      OperatorEvseStatus: {
        OperatorID: config.operatorId,
        OperatorName: config.operatorName,
        EvseStatusRecord: statuses,
      },
    });
  }

  /** Pushes one EVSE's new status in the background; a refusal shows in the activity log. */
  statusChanged(evseId: string, status: StationStatus): void {
    this.deps.background.run(async () => {
      const answer = await this.pushEvseStatus('update', [{ EvseID: evseId, EvseStatus: status }]);
      if (!answer.ok || !answer.body.Result)
        this.deps.activity.add(
          evseId,
          'push-failed',
          `PushEvseStatus ${status}: ${answer.ok ? answer.body.StatusCode.Code : answer.reason}`,
        );
    });
  }

  /** Queues a charging notification behind what is pending for its session; resolves once HBS has answered it. */
  notify(evseId: string, n: ChargingNotification): Promise<void> {
    return this.inOrder(n.SessionID, () => this.sendNotification(evseId, n));
  }

  /** Queues the CDR behind the session's notifications, to go out `afterMs` protocol milliseconds after them. */
  cdr(evseId: string, cdr: ChargeDetailRecord, identification: Identification, afterMs = 0): Promise<void> {
    return this.inOrder(cdr.SessionID, async () => {
      await this.deps.clock.sleep(afterMs);
      await this.sendCdr(evseId, cdr, identification);
    });
  }

  /** At an EVSE whose CalibrationLawDataAvailability is External, its meter signs the session's readings. */
  signed(evseId: string, evseRecord: unknown, s: StationSession, cdr: ChargeDetailRecord): ChargeDetailRecord {
    if ((evseRecord as { CalibrationLawDataAvailability?: string }).CalibrationLawDataAvailability !== 'External')
      return cdr;
    let meter = this.meters.get(evseId);
    if (!meter) {
      meter = new SignedMeter(`${evseId} meter`);
      this.meters.set(evseId, meter);
    }
    const readings = [
      { at: s.chargingStart!, kWh: s.meterStart!, status: 'Start' as const },
      { at: s.chargingEnd!, kWh: s.meterEnd!, status: 'End' as const },
    ];
    const m = mediumOf(s.identification);
    const type =
      m?.kind === 'RFID' || m?.kind === 'RFIDMifareFamily'
        ? 'ISO14443'
        : m?.kind === 'PlugAndCharge'
          ? 'ISO15118'
          : 'CENTRAL';
    return { ...cdr, ...meter.cdrFields(readings, { type, id: tokensOf(s.identification)[0] ?? '' }) };
  }

  private inOrder(sessionId: string, task: () => Promise<void>): Promise<void> {
    const key = sessionId.toLowerCase();
    const turn: Promise<void> = (this.queues.get(key) ?? Promise.resolve())
      .then(task)
      .catch(() => undefined)
      .finally(() => this.queues.get(key) === turn && this.queues.delete(key));
    this.queues.set(key, turn);
    this.deps.background.run(() => turn);
    return turn;
  }

  private async sendCdr(evseId: string, cdr: ChargeDetailRecord, identification: Identification): Promise<void> {
    const { faults, link, activity, key } = this.deps;
    const probe = { actor: key, evseId, tokens: tokensOf(identification) };
    if (faults.take(['noCdr'], probe)) {
      activity.add(evseId, 'fault', `noCdr: CDR of ${cdr.SessionID} not sent`);
      return;
    }
    const copies = faults.take(['duplicateCdr'], probe) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const answer = await link.send('ChargeDetailRecord', cdr);
      const outcome = answer.ok
        ? `${answer.body.Result ? 'accepted' : 'refused'} (${answer.body.StatusCode.Code})`
        : `failed: ${answer.reason}`;
      activity.add(
        evseId,
        'cdr',
        `${copies > 1 ? `copy ${i + 1}/2 (duplicateCdr) ` : ''}CDR ${cdr.SessionID} ${cdr.ConsumedEnergy} kWh ${outcome}`,
      );
    }
  }

  private async sendNotification(evseId: string, n: ChargingNotification): Promise<void> {
    const { faults, link, activity, key } = this.deps;
    const fault = faults.take(['unknownSessionNotification'], {
      actor: key,
      evseId,
      tokens: tokensOf(n.Identification ?? undefined),
    });
    const body = fault ? { ...n, SessionID: randomUUID() } : n;
    const answer = await link.send('ChargingNotification', body);
    const outcome = answer.ok
      ? `${answer.body.Result ? 'acknowledged' : 'refused'} (${answer.body.StatusCode.Code})`
      : `failed: ${answer.reason}`;
    activity.add(
      evseId,
      'notification',
      `${n.Type}${fault ? ' with an unknown SessionID (fault)' : ''} ${body.SessionID} ${outcome}`,
    );
  }
}

/** The RFID UID or EvcoID an identification carries, for fault matching and the activity log. */
export function tokensOf(identification: Identification | undefined): string[] {
  const m = identification ? mediumOf(identification) : undefined;
  return [m?.uid, m?.evcoId].filter((t): t is string => !!t);
}
