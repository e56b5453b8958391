/**
 * What a virtual actor did, newest last, for the control API, the monitor and test assertions. Bounded: a station
 * left running for days keeps its last entries only.
 */
export interface ActivityEntry {
  at: string;
  /** EvseID, SessionID or `*` for the actor as a whole. */
  subject: string;
  kind: string;
  detail: string;
}

export class ActivityLog {
  private readonly entries: ActivityEntry[] = [];

  constructor(private readonly max = 1000) {}

  add(subject: string, kind: string, detail: string): void {
    this.entries.push({ at: new Date().toISOString(), subject, kind, detail });
    if (this.entries.length > this.max) this.entries.shift();
  }

  list(filter: { subject?: string; kind?: string } = {}): ActivityEntry[] {
    const subject = filter.subject?.toUpperCase();
    return this.entries.filter(
      (e) => (!subject || e.subject.toUpperCase() === subject) && (!filter.kind || e.kind === filter.kind),
    );
  }
}
