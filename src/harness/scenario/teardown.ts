import { normalizePartnerId } from '../../oicp/patterns.js';
import type { EvseView } from '../../partners/station/station.js';
import { messageOf } from '../../shared/errors.js';
import type { Exchange } from '../../shared/exchange.js';
import { valueAt as at } from '../../shared/json-pointer.js';
import type { Recorder } from '../../shared/recorder.js';
import type { Blocker, EngineContext } from './context.js';
import { partnerVariables } from './test-data.js';
import { canTrigger, fireTrigger } from './triggers.js';

/**
 * What an item leaves behind is undone before the next one starts, whether its steps passed or not: one defect
 * fails one item. A failed CPO-07 stops before its remote stop, and its charge would otherwise hold the EVSE for
 * CPO-09 (602) and every later item's session. The harness can only ask the partner (as HBS does, through the
 * virtual EMP: AuthorizeRemoteStop, AuthorizeRemoteReservationStop; or the partner's stopCharging trigger) and
 * put its own virtual stations back. A session the partner does not end keeps its EVSE blocked: later items at
 * that EVSE are skipped naming the item that left it, never failed for it.
 */

/** The virtual stations' EVSEs as an item found them. */
export type StationBaseline = ReadonlyMap<string, EvseView>;

export interface TeardownResult {
  /** What was undone, for the report's teardown step. */
  notes: string[];
  blocked: Blocker[];
}

/**
 * Protocol time the partner gets for the End notification and CDR of a session it was asked to stop: the CDR is due
 * within 10 s of SessionEnd (rule cdr-on-time), so this leaves a slow but conformant partner ample room.
 */
const SESSION_END_MS = 60_000;

export function stationBaseline(ctx: Pick<EngineContext, 'actors'>): StationBaseline {
  return new Map(ctx.actors.stations.flatMap((s) => s.view()).map((v) => [v.EvseID, v]));
}

/** A trigger step the item ran, with its filled `with` values. */
export interface FiredTrigger {
  name: string;
  input: Record<string, unknown>;
}

export async function teardown(
  itemId: string,
  from: number,
  baseline: StationBaseline,
  fired: readonly FiredTrigger[],
  ctx: EngineContext,
  interrupted: boolean,
): Promise<TeardownResult> {
  // Records a seed step had HBS hold go first, so no later item (a delta pull, another CDR fetch) sees them.
  const released = ctx.hub.releaseHeld();
  const notes = [
    ...(released > 0 ? [`HBS let go of the ${released} records the item had it hold`] : []),
    ...resetStations(baseline, ctx),
  ];
  if (ctx.profile.partner.role !== 'CPO') return { notes, blocked: [] };
  const sessions = await endPartnerSessions(itemId, from, ctx, interrupted);
  const statuses = interrupted ? { notes: [], blocked: [] } : await restoreStatuses(itemId, from, fired, ctx);
  return {
    notes: [...notes, ...sessions.notes, ...statuses.notes],
    blocked: [...sessions.blocked, ...statuses.blocked],
  };
}

/**
 * An EVSE the item set to another status through the partner's setStatus trigger (OutOfService for CPO-08c) and
 * did not set Available again, because a step failed before, is set Available again: test EVSEs are free ones.
 */
async function restoreStatuses(
  itemId: string,
  from: number,
  fired: readonly FiredTrigger[],
  ctx: EngineContext,
): Promise<TeardownResult> {
  const last = new Map<string, string>();
  for (const t of fired) {
    if (t.name === 'setStatus' && typeof t.input.evseId === 'string' && typeof t.input.status === 'string')
      last.set(t.input.evseId, t.input.status);
  }
  const notes: string[] = [];
  const blocked: Blocker[] = [];
  for (const [evseId, status] of last) {
    if (status === 'Available' || !canTrigger(ctx.profile, 'setStatus')) continue;
    try {
      await fireTrigger('setStatus', { evseId, status: 'Available' }, partnerVariables(ctx.profile), ctx);
      notes.push(`set ${evseId} Available again (it was left ${status}; setStatus trigger)`);
    } catch (e) {
      notes.push(`could not set ${evseId} Available again: ${messageOf(e)}`);
      blocked.push({
        evseId,
        sessionId: '',
        by: itemId,
        from,
        why: `${itemId} left ${evseId} ${status} and it could not be set Available again (${messageOf(e)})`,
      });
    }
  }
  return { notes, blocked };
}

/** The virtual stations' sessions, reservations, cars and statuses that the item started or changed, undone. */
function resetStations(baseline: StationBaseline, ctx: EngineContext): string[] {
  const notes: string[] = [];
  for (const station of ctx.actors.stations) {
    for (const now of station.view()) {
      const before = baseline.get(now.EvseID);
      const tried = (what: string, act: () => unknown): void => {
        try {
          act();
          notes.push(`${what} at ${now.EvseID}`);
        } catch (e) {
          notes.push(`could not ${what} at ${now.EvseID}: ${messageOf(e)}`);
        }
      };
      if (now.session && now.session.phase !== 'ended' && now.session.SessionID !== before?.session?.SessionID) {
        tried(`ended session ${now.session.SessionID}`, () => station.stop(now.EvseID));
      }
      if (now.reservation && now.reservation.SessionID !== before?.reservation?.SessionID) {
        const r = now.reservation;
        tried(`cancelled reservation ${r.SessionID}`, () =>
          station.cancelReservation(now.EvseID, "cancelled when the item's teardown reset the station"),
        );
      }
      const after = station.view().find((v) => v.EvseID === now.EvseID)!;
      if (after.plugged && before && !before.plugged) tried('unplugged the car', () => station.unplug(now.EvseID));
      const settled = station.view().find((v) => v.EvseID === now.EvseID)!;
      if (before && settled.status !== before.status && !settled.session && !settled.reservation) {
        tried(`set ${before.status} again (was ${settled.status})`, () => station.setStatus(now.EvseID, before.status));
      }
    }
  }
  return notes;
}

interface OpenSession {
  sessionId: string;
  evseId: string;
  providerId: string | undefined;
  kind: 'charge' | 'reservation';
  /** The partner accepted a stop already (AuthorizeRemoteStop Result true, or its own AuthorizeStop authorized). */
  stopping: boolean;
  /** The partner reported charging (its Start notification): only then do an End and a CDR follow a stop. */
  charging: boolean;
}

const lower = (v: unknown): string => String(v ?? '').toLowerCase();

/** Sessions and reservations the partner took on during the item and has not ended (no End notification, no CDR). */
export function openSessions(xs: readonly Exchange[]): OpenSession[] {
  const open = new Map<string, OpenSession>();
  const ended = new Set<string>();
  const stopping = new Set<string>();
  const charging = new Set<string>();
  for (const x of xs) {
    const req = x.request.body;
    const res = x.response?.body;
    const sid = lower(at(req, '/SessionID'));
    if (
      x.direction === 'hub→partner' &&
      (x.operation === 'AuthorizeRemoteStart' || x.operation === 'AuthorizeRemoteReservationStart')
    ) {
      // A refusal started nothing; an answer that never came may still have started a charge.
      if (at(res, '/Result') === false || !sid) continue;
      open.set(sid, {
        sessionId: String(at(req, '/SessionID')),
        evseId: String(at(req, '/EvseID')),
        providerId: at(req, '/ProviderID') as string | undefined,
        kind: x.operation === 'AuthorizeRemoteStart' ? 'charge' : 'reservation',
        stopping: false,
        charging: false,
      });
    } else if (
      x.direction === 'partner→hub' &&
      x.operation === 'AuthorizeStart' &&
      at(res, '/AuthorizationStatus') === 'Authorized'
    ) {
      const id = at(res, '/SessionID');
      if (typeof id === 'string')
        open.set(id.toLowerCase(), {
          sessionId: id,
          evseId: String(at(req, '/EvseID')),
          providerId: at(res, '/ProviderID') as string | undefined,
          kind: 'charge',
          stopping: false,
          charging: false,
        });
    } else if (x.direction === 'hub→partner' && x.operation === 'AuthorizeRemoteStop' && at(res, '/Result') === true) {
      stopping.add(sid);
    } else if (
      x.direction === 'partner→hub' &&
      x.operation === 'AuthorizeStop' &&
      at(res, '/AuthorizationStatus') === 'Authorized'
    ) {
      stopping.add(sid);
    } else if (
      x.direction === 'hub→partner' &&
      x.operation === 'AuthorizeRemoteReservationStop' &&
      at(res, '/Result') === true
    ) {
      ended.add(sid);
    } else if (x.direction === 'partner→hub' && isEnd(x)) {
      ended.add(sid);
    } else if (x.direction === 'partner→hub' && x.operation === 'ChargingNotification') {
      charging.add(sid);
    }
  }
  return [...open.entries()]
    .filter(([sid]) => !ended.has(sid))
    .map(([sid, s]) => ({ ...s, stopping: stopping.has(sid), charging: charging.has(sid) }));
}

/** The partner's word that a charge is over: its End notification or its CDR. */
function isEnd(x: Exchange): boolean {
  return (
    x.operation === 'ChargeDetailRecord' ||
    (x.operation === 'ChargingNotification' && at(x.request.body, '/Type') === 'End')
  );
}

/** Whether the partner has sent the End notification or CDR of `sessionId` among `xs`. */
export function sessionEnded(
  xs: readonly Exchange[],
  partnerId: string,
  sessionId: string,
  what: 'End or CDR' | 'CDR' = 'End or CDR',
): boolean {
  if (!sessionId) return false;
  const id = normalizePartnerId(partnerId);
  return xs.some(
    (x) =>
      x.direction === 'partner→hub' &&
      normalizePartnerId(x.partnerId ?? '') === id &&
      lower(at(x.request.body, '/SessionID')) === sessionId.toLowerCase() &&
      (what === 'CDR' ? x.operation === 'ChargeDetailRecord' : isEnd(x)),
  );
}

async function endPartnerSessions(
  itemId: string,
  from: number,
  ctx: EngineContext,
  interrupted: boolean,
): Promise<TeardownResult> {
  const recorder = ctx.hub.recorder;
  const partnerId = ctx.profile.partner.id;
  const own = (): Exchange[] =>
    recorder.since(from).filter((x) => normalizePartnerId(x.partnerId ?? '') === normalizePartnerId(partnerId));
  const open = openSessions(own());
  const notes: string[] = [];
  const blocked: Blocker[] = [];
  const charges: OpenSession[] = [];
  for (const s of open) {
    let accepted = s.stopping;
    if (!accepted) {
      const answer = await stop(s, ctx).catch((e: unknown) => ({ done: false, note: messageOf(e) }));
      notes.push(
        `${s.kind === 'charge' ? 'stopped session' : 'cancelled reservation'} ${s.sessionId} at ${s.evseId}: ${answer.note}`,
      );
      if (answer.done === 'nothing-to-stop') continue;
      accepted = answer.done;
    }
    // A stopped session that never charged ends without an End notification or CDR (no energy, nothing to bill).
    if (accepted && (s.kind === 'reservation' || !s.charging)) continue;
    if (accepted || s.charging) {
      charges.push(s);
      continue;
    }
    blocked.push({
      evseId: s.evseId,
      sessionId: s.sessionId,
      by: itemId,
      from,
      why: `${itemId} left ${s.kind === 'charge' ? 'session' : 'reservation'} ${s.sessionId} at ${s.evseId} and it could not be stopped`,
    });
  }
  if (charges.length > 0 && !interrupted) {
    // The CDR follows End; waiting for both keeps this session's messages out of the next item's checks.
    await waitUntil(
      recorder,
      () => charges.every((s) => sessionEnded(own(), partnerId, s.sessionId, 'CDR')),
      ctx.clock.deadline(SESSION_END_MS),
      ctx.signal,
    );
  }
  for (const s of charges) {
    if (sessionEnded(own(), partnerId, s.sessionId)) continue;
    blocked.push({
      evseId: s.evseId,
      sessionId: s.sessionId,
      by: itemId,
      from,
      why: `${itemId} left session ${s.sessionId} charging at ${s.evseId}: asked to stop, the partner sent no End notification or CDR within ${SESSION_END_MS / 1000} s`,
    });
    notes.push(`session ${s.sessionId} at ${s.evseId} did not end: ${s.evseId} is blocked for later items`);
  }
  return { notes, blocked };
}

/** Asks the partner to stop, as HBS would for the EMP that started it; `nothing-to-stop` when it says there is none. */
async function stop(s: OpenSession, ctx: EngineContext): Promise<{ done: boolean | 'nothing-to-stop'; note: string }> {
  const emp = s.providerId ? ctx.actors.emp(s.providerId) : undefined;
  if (emp) {
    const answer =
      s.kind === 'charge'
        ? await emp.remoteStop({ sessionId: s.sessionId, evseId: s.evseId })
        : await emp.reservationStop({ sessionId: s.sessionId, evseId: s.evseId });
    const result = answer.ok ? at(answer.body, '/Result') : undefined;
    const code = answer.ok ? at(answer.body, '/StatusCode/Code') : undefined;
    if (result === true)
      return {
        done: true,
        note: `the virtual EMP's ${s.kind === 'charge' ? 'AuthorizeRemoteStop' : 'AuthorizeRemoteReservationStop'} was accepted`,
      };
    if (result === false)
      return {
        done: 'nothing-to-stop',
        note: `the partner answered Result false${code ? ` (${String(code)})` : ''}: nothing to stop`,
      };
    return { done: false, note: answer.ok ? 'no Result in the answer' : answer.reason };
  }
  if (s.kind === 'charge' && canTrigger(ctx.profile, 'stopCharging')) {
    await fireTrigger('stopCharging', { evseId: s.evseId, sessionId: s.sessionId }, partnerVariables(ctx.profile), ctx);
    return { done: true, note: "the partner's stopCharging trigger took it" };
  }
  return {
    done: false,
    note: `no virtual EMP ${s.providerId ?? ''} to stop it and no stopCharging trigger in the profile`,
  };
}

/** Resolves once `test()` holds (checked now and on every exchange recorded), after `ms`, or when `signal` aborts. */
export function waitUntil(recorder: Recorder, test: () => boolean, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (test()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      recorder.off('exchange', onExchange);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onExchange = (): void => {
      if (test()) done(true);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(false), ms);
    recorder.on('exchange', onExchange);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The EVSEs of the partner's testData a scenario names (by placeholder or literally). */
export function usesEvse(steps: unknown, evseId: string, evseIds: readonly string[]): boolean {
  const text = JSON.stringify(steps);
  if (text.toLowerCase().includes(JSON.stringify(evseId).slice(1, -1).toLowerCase())) return true;
  return evseIds.some(
    (id, i) =>
      id.toLowerCase() === evseId.toLowerCase() &&
      new RegExp(`\\{\\{\\s*partner\\.evseIds\\[${i}\\]\\s*\\}\\}`).test(text),
  );
}
