import type { StationStatus } from '../../config/world/types.js';
import { SimError } from '../../shared/errors.js';

/**
 * Which EVSE status may follow which. A real station cannot jump from Reserved to OutOfService and back to Occupied
 * without passing through states an EMP would have seen, so a change the table does not allow is an error (never a
 * silent change): scenarios that drive the station get told, instead of the hub receiving an impossible history.
 */
export const TRANSITIONS: Readonly<Record<StationStatus, readonly StationStatus[]>> = Object.freeze({
  Available: ['Reserved', 'Occupied', 'OutOfService', 'Unknown'],
  // A reservation ends (Available), its holder plugs in (Occupied), or the EVSE breaks.
  Reserved: ['Available', 'Occupied', 'OutOfService', 'Unknown'],
  Occupied: ['Available', 'OutOfService', 'Unknown'],
  // A repaired EVSE comes back Available; Occupied would mean a car was charging on a broken EVSE.
  OutOfService: ['Available', 'Unknown'],
  // Unknown is "the station lost contact": it may come back in any state.
  Unknown: ['Available', 'Reserved', 'Occupied', 'OutOfService'],
});

export const STATION_STATUSES = Object.keys(TRANSITIONS) as StationStatus[];

export function isStationStatus(value: unknown): value is StationStatus {
  return typeof value === 'string' && (STATION_STATUSES as string[]).includes(value);
}

export function canTransition(from: StationStatus, to: StationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws EVSE_TRANSITION naming the allowed next states when `from → to` is not in the table. */
export function assertTransition(evseId: string, from: StationStatus, to: StationStatus): void {
  if (from === to || canTransition(from, to)) return;
  throw new SimError(
    'EVSE_TRANSITION',
    `${evseId} cannot go from ${from} to ${to}; from ${from} it may go to ${TRANSITIONS[from].join(', ')}`,
  );
}
