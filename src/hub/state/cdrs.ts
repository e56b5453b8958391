import type { ChargeDetailRecord } from '../../oicp/messages.js';

export type ForwardStatus = 'PENDING' | 'FORWARDED' | 'NOT_FORWARDED';

export interface StoredCdr {
  cdr: ChargeDetailRecord;
  operatorId: string;
  /** The EMP the session belongs to; undefined when HBS could not tell. */
  providerId?: string;
  receivedAt: string;
  receivedAtMs: number;
  forwardStatus: ForwardStatus;
  /** Why a forward failed, or which exchange delivered it. */
  forwardInfo?: string;
}

/** CDRs as HBS stores them: one per SessionID, with the forwarding status the Process Monitor shows. */
export class CdrStore {
  private readonly bySession = new Map<string, StoredCdr>();

  add(entry: StoredCdr): void {
    this.bySession.set(entry.cdr.SessionID.toLowerCase(), entry);
  }

  remove(sessionId: string): void {
    this.bySession.delete(sessionId.toLowerCase());
  }

  forSession(sessionId: string): StoredCdr | undefined {
    return this.bySession.get(sessionId.toLowerCase());
  }

  setForward(sessionId: string, status: ForwardStatus, info?: string): void {
    const e = this.forSession(sessionId);
    if (e) {
      e.forwardStatus = status;
      e.forwardInfo = info;
    }
  }

  all(): StoredCdr[] {
    return [...this.bySession.values()];
  }
}
