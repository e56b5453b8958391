import { randomUUID } from 'node:crypto';

/** Where identifiers come from; tests inject a deterministic source. */
export interface IdSource {
  /** A Hubject-style SessionID (a GUID, matches OICP's SessionID pattern). */
  sessionId(): string;
  /** A short id for one recorded exchange. */
  exchangeId(): string;
}

export function randomIds(): IdSource {
  let n = 0;
  return {
    sessionId: () => randomUUID(),
    exchangeId: () => `x${(++n).toString(36).padStart(5, '0')}`,
  };
}
