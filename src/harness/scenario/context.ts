import type { HubPort } from '../../hub/port.js';
import type { FrameLog } from '../../ocpp/frames.js';
import type { VirtualActors } from '../../partners/virtual/actors.js';
import type { Clock } from '../../shared/clock.js';
import type { ProgressEvent } from '../report/console/progress.js';
import type { PartnerProfile } from './profile.js';

/** What the engine, its triggers and its teardown work with during a run. */
export interface EngineContext {
  hub: HubPort;
  actors: VirtualActors;
  profile: PartnerProfile;
  clock: Clock;
  onProgress: (e: ProgressEvent) => void;
  /** Asks the person at the terminal and resolves when they confirm; absent when nobody is there (CI). */
  prompt?: (text: string) => Promise<void>;
  /** Extra CAs an HTTP trigger trusts besides the system's (the local CA, the partner's serverCaFile). */
  triggerCa?: string[];
  /** Aborted when the run is interrupted: every wait ends, the item is reported `error` "interrupted". */
  signal?: AbortSignal;
  /** Real milliseconds an item's steps may take (`--item-timeout`); past it the item is an `error` and the run goes on. */
  itemDeadlineMs?: number;
  /** EVSEs of the partner that earlier items of the run left in use (see teardown.ts); certify keeps one list per run. */
  blocked?: Blocker[];
  /** A CPO's charge points over OCPP (profile `ocpp:`): the station actions they perform instead of triggers. */
  stationActions?: StationActions;
  /** Every OCPP frame the charge points exchanged with the partner's CSMS (profile `ocpp:`), for the OCPP rules. */
  ocppFrames?: FrameLog;
}

/** Station actions performed somewhere other than the partner's test API (at virtual OCPP charge points). */
export interface StationActions {
  /** Whether it performs the trigger of this name. */
  has(name: string): boolean;
  /** Performs it; resolves to what happened, in words, for the report; rejects when it could not. */
  perform(name: string, input: Record<string, unknown>): Promise<string>;
  /** Clears what an item armed and did not use (a refusal of the next remote start); a note for each. */
  disarm(): string[];
}

/** An EVSE of the partner's that an item left in use. */
export interface Blocker {
  evseId: string;
  /** The session holding it; empty when it is a status the item left (nothing of the partner's will free it). */
  sessionId: string;
  /** Checklist ID of the item that left it. */
  by: string;
  /** Recorder position from which an End or CDR of the session would free it. */
  from: number;
  why: string;
}
