import { isOperationId, type OperationId } from '../../oicp/operations.js';
import { isStatusCodeValue, type StatusCodeValue } from '../../oicp/status-codes.js';
import { type FieldError, SimError } from '../../shared/errors.js';

/**
 * Misbehaviour on purpose, so a partner can see how it copes with the unhappy paths. A fault is armed for a number
 * of matching calls (default one; 0 = until cleared) and matched by actor, operation, EvseID and token.
 * Answer faults act on requests the hub forwards to a virtual actor; session faults act on what a virtual station
 * sends for a session on the matched EVSE.
 */
export const ANSWER_FAULTS = {
  delay:
    "answer after delayMs protocol milliseconds of processing, counted as the hub's deadlines count them (past the hub's timeout to provoke 310 or NotAuthorized)",
  reject: 'answer Result false / NotAuthorized with StatusCode `code`',
  http500: 'answer HTTP 500',
  close: 'close the connection without answering',
  malformedJson: 'answer HTTP 200 with a truncated JSON body',
} as const;

export const SESSION_FAULTS = {
  duplicateCdr: "upload the session's CDR twice",
  noCdr: 'upload no CDR for the session',
  unknownSessionNotification: 'send the next charging notification with a SessionID HBS never issued',
} as const;

export type AnswerFaultKind = keyof typeof ANSWER_FAULTS;
export type SessionFaultKind = keyof typeof SESSION_FAULTS;
export type FaultKind = AnswerFaultKind | SessionFaultKind;
export const FAULT_KINDS = [...Object.keys(ANSWER_FAULTS), ...Object.keys(SESSION_FAULTS)] as FaultKind[];

export interface FaultSpec {
  kind: FaultKind;
  /** Partner key of the virtual actor; default: whichever actor meets the call. */
  actor?: string;
  /** The forwarded operation it answers (answer faults only); default: any. */
  operation?: OperationId;
  evseId?: string;
  /** RFID UID or EvcoID the call carries. */
  token?: string;
  /** For `delay`: protocol milliseconds. */
  delayMs?: number;
  /** For `reject`: the StatusCode.Code to answer with. */
  code?: StatusCodeValue;
  /** Matching calls it applies to; 0 = until cleared. Default 1. */
  times?: number;
}

export interface ArmedFault extends FaultSpec {
  id: string;
  times: number;
  used: number;
}

/** What a call offers for matching. */
export interface FaultProbe {
  actor: string;
  operation?: OperationId;
  evseId?: string;
  tokens?: readonly string[];
}

const SPEC_KEYS = new Set(['kind', 'actor', 'operation', 'evseId', 'token', 'delayMs', 'code', 'times']);

/** Checks untrusted input (the HTTP control surface, scenario YAML) into a FaultSpec, reporting every problem. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SimError(
      'SIM_INPUT',
      'a fault is a JSON object, e.g. {"kind":"delay","operation":"AuthorizeRemoteStart","delayMs":70000}',
    );
  }
  const o = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const bad = (path: string, message: string): void => void errors.push({ path, message });
  for (const k of Object.keys(o))
    if (!SPEC_KEYS.has(k)) bad(`/${k}`, `unknown field; fields are ${[...SPEC_KEYS].join(', ')}`);
  const kind = o.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as string[]).includes(kind))
    bad('/kind', `must be one of ${FAULT_KINDS.join(', ')}`);
  for (const k of ['actor', 'evseId', 'token'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === '')) bad(`/${k}`, 'must be a non-empty string');
  }
  if (o.operation !== undefined && !(typeof o.operation === 'string' && isOperationId(o.operation)))
    bad('/operation', 'must be an OICP operation name, e.g. AuthorizeRemoteStart');
  if (o.operation !== undefined && typeof kind === 'string' && kind in SESSION_FAULTS)
    bad('/operation', `${String(kind)} acts on the station's own messages; match it by evseId instead`);
  // A day at most: a larger (or infinite, JSON's 1e400) delay overflows Node's timer and would answer at once.
  if (kind === 'delay' && !(typeof o.delayMs === 'number' && o.delayMs >= 0 && o.delayMs <= 86_400_000))
    bad('/delayMs', 'delay needs delayMs, protocol milliseconds from 0 to 86400000 (a day)');
  if (kind !== 'delay' && o.delayMs !== undefined) bad('/delayMs', 'only a delay fault takes delayMs');
  if (kind === 'reject' && !(typeof o.code === 'string' && isStatusCodeValue(o.code)))
    bad('/code', 'reject needs code, an OICP StatusCode such as "602"');
  if (kind !== 'reject' && o.code !== undefined) bad('/code', 'only a reject fault takes code');
  if (o.times !== undefined && !(Number.isInteger(o.times) && (o.times as number) >= 0))
    bad('/times', 'must be an integer ≥ 0 (0 = until cleared)');
  if (errors.length > 0) throw new SimError('SIM_INPUT', 'the fault is not valid', { fieldErrors: errors });
  return o as unknown as FaultSpec;
}

export class FaultBook {
  private readonly armed: ArmedFault[] = [];
  private next = 1;

  arm(spec: FaultSpec): ArmedFault {
    const fault: ArmedFault = { ...parseFaultSpec(spec), id: `f${this.next++}`, times: spec.times ?? 1, used: 0 };
    this.armed.push(fault);
    return fault;
  }

  list(): readonly ArmedFault[] {
    return this.armed;
  }

  /** Disarms one fault (by id) or all; returns how many were removed. */
  clear(id?: string): number {
    const before = this.armed.length;
    if (id === undefined) this.armed.length = 0;
    else {
      const i = this.armed.findIndex((f) => f.id === id);
      if (i >= 0) this.armed.splice(i, 1);
    }
    return before - this.armed.length;
  }

  /** The first armed fault of `kinds` matching the probe, counted as used (and disarmed when spent). */
  take<K extends FaultKind>(kinds: readonly K[], probe: FaultProbe): (ArmedFault & { kind: K }) | undefined {
    const fault = this.armed.find((f) => (kinds as readonly FaultKind[]).includes(f.kind) && matches(f, probe));
    if (!fault) return undefined;
    fault.used++;
    if (fault.times > 0 && fault.used >= fault.times) this.armed.splice(this.armed.indexOf(fault), 1);
    return fault as ArmedFault & { kind: K };
  }
}

function matches(f: ArmedFault, p: FaultProbe): boolean {
  const same = (a: string, b: string | undefined): boolean => b !== undefined && a.toUpperCase() === b.toUpperCase();
  if (f.actor !== undefined && f.actor !== p.actor) return false;
  if (f.operation !== undefined && f.operation !== p.operation) return false;
  if (f.evseId !== undefined && !same(f.evseId, p.evseId)) return false;
  if (f.token !== undefined && !(p.tokens ?? []).some((t) => same(f.token!, t))) return false;
  return true;
}
