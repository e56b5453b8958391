import type { ChargePointErrorCode, ChargePointStatus, MeterValue } from '../../../ocpp/messages.js';
import { meterAt } from '../meter.js';

/**
 * One connector of a virtual charge point: its OCPP status, the car, the running transaction and the meter. The
 * meter is the OICP virtual station's (station/meter.ts): energy follows wall-clock charging time, so the
 * transaction's meterStart/meterStop agree with power × (stop − start) whatever the time scale. OCPP carries the
 * register in Wh (OCPP 1.6 StartTransaction.req meterStart, StopTransaction.req meterStop: integer Wh).
 */

export interface ConnectorSetup {
  connectorId: number;
  /** The OICP EvseID this connector is, as the CPO publishes it. */
  evseId: string;
  /** Power the car draws (kW). */
  powerKw: number;
  /** Meter register at start (kWh). */
  meterStartKWh: number;
}

export interface Connector {
  id: number;
  evseId: string;
  status: ChargePointStatus;
  errorCode: ChargePointErrorCode;
  plugged: boolean;
  powerKw: number;
  /** Meter register (kWh) when no transaction runs; a transaction's reading is computed from its start. */
  meterKWh: number;
  /** An idTag the CSMS accepted before the car was plugged in (OCPP 1.6 allows authorizing before plug-in). */
  authorizedIdTag?: string;
  transaction?: {
    transactionId: number;
    idTag: string;
    /** The group the CSMS put the idTag in (StartTransaction.conf idTagInfo.parentIdTag): cards of it may stop. */
    parentIdTag?: string;
    meterStartWh: number;
    startedAtMs: number;
  };
  reservation?: { reservationId: number; idTag: string; expiryDate: string };
  /** The next RemoteStartTransaction for this connector is Rejected (a station action, to test the CSMS's answer). */
  refuseRemoteStart?: boolean;
  /** ChangeAvailability Inoperative answered Scheduled: Unavailable once the transaction ends. */
  pendingInoperative?: boolean;
  meterTimer?: ReturnType<typeof setTimeout>;
}

export function newConnector(setup: ConnectorSetup): Connector {
  return {
    id: setup.connectorId,
    evseId: setup.evseId,
    status: 'Available',
    errorCode: 'NoError',
    plugged: false,
    powerKw: setup.powerKw,
    meterKWh: setup.meterStartKWh,
  };
}

/** The meter register in Wh at `atMs` (wall clock). */
export function meterWh(c: Connector, atMs: number): number {
  const tx = c.transaction;
  const kWh = tx ? meterAt(tx.meterStartWh / 1000, c.powerKw, tx.startedAtMs, atMs) : c.meterKWh;
  return Math.round(kWh * 1000);
}

/** One energy register reading as OCPP's MeterValue carries it. */
export function energySample(
  at: Date,
  wh: number,
  context: 'Sample.Periodic' | 'Trigger' | 'Transaction.Begin' | 'Transaction.End',
): MeterValue {
  return {
    timestamp: at.toISOString(),
    sampledValue: [{ value: String(wh), context, measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
  };
}
