import type { Identification } from '../../oicp/messages.js';

export type SessionOrigin = 'AuthorizeStart' | 'AuthorizeRemoteStart' | 'AuthorizeRemoteReservationStart';

/**
 * pending: HBS minted the SessionID and is waiting for the partner; active: authorized / started;
 * rejected: the authorization or start failed (the SessionID is invalid from then on); closed: a CDR arrived.
 */
export type SessionStatus = 'pending' | 'active' | 'rejected' | 'closed';

export interface Session {
  SessionID: string;
  origin: SessionOrigin;
  cpoId: string;
  empId?: string;
  evseId?: string;
  identification: Identification;
  /** Authorized from uploaded authentication data: AuthorizeStop must then use the same medium. */
  authorizedOffline: boolean;
  status: SessionStatus;
  createdAt: string;
  CPOPartnerSessionID?: string;
  EMPPartnerSessionID?: string;
  cdrReceivedAt?: string;
  /** Reservation sessions are stopped with AuthorizeRemoteReservationStop, not remote stop. */
  reservationStopped?: boolean;
  /** EventOccurred of the last Progress notification, for the 5-minute rule. */
  lastProgressAtMs?: number;
}

/** Sessions kept at most (see SessionStore): about 0.5 KB each, so the bound is some tens of MB. */
export const DEFAULT_MAX_SESSIONS = 50_000;
/** An ended session untouched this many protocol hours is forgotten. */
export const DEFAULT_ENDED_RETENTION_HOURS = 24;

export interface SessionRetention {
  /** Most sessions kept; past it the least recently used go, ended ones first. */
  maxSessions?: number;
  /** Real milliseconds (the caller scales protocol hours with its clock) an ended session is kept untouched. */
  endedRetentionMs?: number;
  /** Wall-clock milliseconds now. */
  now?: () => number;
}

const ENDED: ReadonlySet<SessionStatus> = new Set(['rejected', 'closed']);

/**
 * The sessions HBS knows, by the SessionID it minted, with a retention rule so that a long-running `serve` stays
 * bounded (a remote start that never gets its CDR would otherwise stay forever):
 * - an ended session (rejected, or closed by its CDR) untouched for `endedRetentionMs` is forgotten: after that a
 *   late stop or CDR for it gets the unknown-SessionID answer (a second CDR is still refused by the CDR store);
 * - past `maxSessions`, the least recently used session is forgotten, ended ones before open ones.
 * "Used" is created, looked up or changed: whatever a scenario step or a partner still does with a session keeps it,
 * and the monitor does not read sessions. Each rule costs O(1) amortized per session added.
 */
export class SessionStore {
  /** Pending and active sessions, least recently used first (a use moves an entry to the end). */
  private readonly open = new Map<string, Session>();
  /** Ended sessions, least recently used first, with the time of that use. */
  private readonly ended = new Map<string, { session: Session; usedAtMs: number }>();
  private readonly maxSessions: number;
  private readonly endedRetentionMs: number;
  private readonly now: () => number;

  constructor(retention: SessionRetention = {}) {
    this.maxSessions = retention.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.endedRetentionMs = retention.endedRetentionMs ?? DEFAULT_ENDED_RETENTION_HOURS * 3_600_000;
    this.now = retention.now ?? Date.now;
  }

  add(session: Session): Session {
    const key = session.SessionID.toLowerCase();
    this.open.delete(key);
    this.ended.delete(key);
    this.place(key, session);
    this.prune();
    return session;
  }

  get(sessionId: string | null | undefined): Session | undefined {
    if (!sessionId) return undefined;
    const key = sessionId.toLowerCase();
    const session = this.open.get(key) ?? this.ended.get(key)?.session;
    if (!session) return undefined;
    // A use: to the end of its list, in the list its status says (a handler may have changed it in place).
    this.open.delete(key);
    this.ended.delete(key);
    this.place(key, session);
    return session;
  }

  /**
   * Sets a session's status (on the object the caller holds, even if the store has let it go meanwhile) and files it
   * under that status: an ended session is then the first to go past the cap.
   */
  setStatus(session: Session, status: SessionStatus): void {
    session.status = status;
    const key = session.SessionID.toLowerCase();
    if (!this.open.delete(key) && !this.ended.delete(key)) return;
    this.place(key, session);
  }

  all(): Session[] {
    return [...this.open.values(), ...[...this.ended.values()].map((e) => e.session)];
  }

  size(): number {
    return this.open.size + this.ended.size;
  }

  private place(key: string, session: Session): void {
    if (ENDED.has(session.status)) this.ended.set(key, { session, usedAtMs: this.now() });
    else this.open.set(key, session);
  }

  private prune(): void {
    const cutoff = this.now() - this.endedRetentionMs;
    for (const [key, e] of this.ended) {
      if (e.usedAtMs > cutoff) break;
      this.ended.delete(key);
    }
    while (this.size() > this.maxSessions) {
      const [key] = this.ended.size > 0 ? this.ended.keys() : this.open.keys();
      if (key === undefined) break;
      this.ended.delete(key);
      this.open.delete(key);
    }
  }
}
