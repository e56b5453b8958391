import type { FrameLog } from '../../ocpp/frames.js';
import type { OcppProfile } from './ocpp-profile.js';
import { type OcppView, STATUS_FOLLOW_MS } from './ocpp-rules.js';

/**
 * The charge points' side of an item for the OCPP rules: the frames logged since `fromSeq` and the profile's map of
 * connectors to EvseIDs. Frames are read when a rule asks, so a check step sees what arrived while it waited.
 */
export function ocppView(profile: OcppProfile, frames: FrameLog, fromSeq: number): OcppView {
  const evseAt = new Map<string, string>();
  const connectorOf = new Map<string, { chargePointId: string; connectorId: number }>();
  const connectors = new Map<string, number>();
  for (const cp of profile.chargePoints) {
    connectors.set(cp.id, cp.connectors.length);
    for (const { connectorId, evseId } of cp.connectors) {
      evseAt.set(`${cp.id}\u0000${connectorId}`, evseId);
      connectorOf.set(evseId.toUpperCase(), { chargePointId: cp.id, connectorId });
    }
  }
  return {
    get frames() {
      return frames.all(fromSeq);
    },
    connectorOf: (evseId) => connectorOf.get(evseId.toUpperCase()),
    evseAt: (chargePointId, connectorId) => evseAt.get(`${chargePointId}\u0000${connectorId}`),
    connectorsAt: (chargePointId) => connectors.get(chargePointId) ?? 0,
    statusWithinMs: profile.statusPushWithinMs ?? STATUS_FOLLOW_MS,
  };
}
