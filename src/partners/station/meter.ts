/**
 * The station's energy meter. Energy follows the wall-clock duration of charging (timestamps in notifications and
 * CDRs are wall-clock too), so ConsumedEnergy always matches power × (ChargingEnd − ChargingStart), whatever the time
 * scale. OICP carries kWh with three decimals (OICP 2.3 CPO, 03 Data Types, ChargeDetailRecord).
 */

export function roundKWh(kWh: number): number {
  return Math.round(kWh * 1000) / 1000;
}

/** The power a session draws: the car's limit capped by the EVSE's largest ChargingFacilities Power. */
export function sessionPowerKw(evseRecord: unknown, vehiclePowerKw: number): number {
  const facilities = (evseRecord as { ChargingFacilities?: Array<{ Power?: number }> }).ChargingFacilities ?? [];
  const evseMax = Math.max(0, ...facilities.map((f) => (typeof f.Power === 'number' ? f.Power : 0)));
  return evseMax > 0 ? Math.min(evseMax, vehiclePowerKw) : vehiclePowerKw;
}

/** Meter reading after charging at `powerKw` from `startMs` to `atMs` (wall clock), starting at `meterStartKWh`. */
export function meterAt(meterStartKWh: number, powerKw: number, startMs: number, atMs: number): number {
  const hours = Math.max(0, atMs - startMs) / 3_600_000;
  return roundKWh(meterStartKWh + powerKw * hours);
}
