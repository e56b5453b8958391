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

/** The sessions HBS knows, by the SessionID it minted. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  add(session: Session): Session {
    this.sessions.set(session.SessionID.toLowerCase(), session);
    return session;
  }

  get(sessionId: string | null | undefined): Session | undefined {
    return sessionId ? this.sessions.get(sessionId.toLowerCase()) : undefined;
  }

  setStatus(sessionId: string, status: SessionStatus): void {
    const s = this.get(sessionId);
    if (s) s.status = status;
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }
}
