import type { EvseDataRecord } from '../../oicp/messages.js';

export type ActionType = 'fullLoad' | 'update' | 'insert' | 'delete';
export type DeltaType = 'insert' | 'update' | 'delete';

export interface StoredEvse {
  record: EvseDataRecord;
  operatorId: string;
  operatorName: string;
  /** When HBS last changed this record (ISO). */
  lastUpdate: string;
}

interface Change {
  atMs: number;
  evseId: string;
  deltaType: DeltaType;
  snapshot: StoredEvse;
}

export type PushOutcome =
  | { ok: true; inserted: number; updated: number; deleted: number }
  | { ok: false; info: string };

const key = (evseId: string): string => evseId.toUpperCase();

/**
 * EVSE data as HBS keeps it: the current records per operator, plus the change history that LastCall delta pulls
 * are answered from. @see OICP 2.3 CPO, 02 Services and Operations, eRoamingPushEvseData (ActionType, kept history);
 * OICP 2.3 EMP, 02 Services and Operations, eRoamingPullEvseData (LastCall delta pulls)
 */
export class EvseDataStore {
  private readonly records = new Map<string, StoredEvse>();
  private readonly operatorsWithData = new Set<string>();
  private readonly changes: Change[] = [];

  /** Applies a push atomically: insert/update/delete abort as a whole when any record does not fit. */
  apply(
    operatorId: string,
    operatorName: string,
    action: ActionType,
    incoming: EvseDataRecord[],
    now: Date,
  ): PushOutcome {
    const atMs = now.getTime();
    const lastUpdate = now.toISOString();
    const mine = [...this.records.values()].filter((s) => s.operatorId === operatorId);
    const exists = (id: string): boolean => this.records.get(key(id))?.operatorId === operatorId;
    const duplicates = findDuplicates(incoming.map((r) => r.EvseID));
    if (duplicates.length > 0) return { ok: false, info: `EvseID listed more than once: ${duplicates.join(', ')}` };

    if (action === 'insert') {
      const clash = incoming.filter((r) => this.records.has(key(r.EvseID))).map((r) => r.EvseID);
      if (clash.length > 0) return { ok: false, info: `insert aborted: already exist: ${clash.join(', ')}` };
    } else if (action === 'update' || action === 'delete') {
      const missing = incoming.filter((r) => !exists(r.EvseID)).map((r) => r.EvseID);
      if (missing.length > 0) return { ok: false, info: `${action} aborted: not found: ${missing.join(', ')}` };
    }

    let inserted = 0;
    let updated = 0;
    let deleted = 0;
    const put = (record: EvseDataRecord): void => {
      const had = this.records.get(key(record.EvseID));
      const stored: StoredEvse = { record, operatorId, operatorName, lastUpdate };
      this.records.set(key(record.EvseID), stored);
      this.changes.push({ atMs, evseId: record.EvseID, deltaType: had ? 'update' : 'insert', snapshot: stored });
      if (had) updated++;
      else inserted++;
    };
    const remove = (evseId: string): void => {
      const had = this.records.get(key(evseId));
      if (!had) return;
      this.records.delete(key(evseId));
      this.changes.push({ atMs, evseId, deltaType: 'delete', snapshot: { ...had, lastUpdate } });
      deleted++;
    };

    if (action === 'fullLoad') {
      const keep = new Set(incoming.map((r) => key(r.EvseID)));
      for (const s of mine) if (!keep.has(key(s.record.EvseID))) remove(s.record.EvseID);
      incoming.forEach(put);
    } else if (action === 'delete') {
      for (const r of incoming) remove(r.EvseID);
    } else {
      incoming.forEach(put);
    }
    this.operatorsWithData.add(operatorId);
    return { ok: true, inserted, updated, deleted };
  }

  /**
   * Holds records as if they had always been there, without a change in the history (so no LastCall delta pull
   * reports them, then or after `release`). For a scenario's seed step; an EvseID HBS already holds is refused.
   */
  hold(operatorId: string, operatorName: string, records: readonly EvseDataRecord[], lastUpdate: string): void {
    const clash = records.filter((r) => this.records.has(key(r.EvseID))).map((r) => r.EvseID);
    if (clash.length > 0) throw new Error(`already held: ${clash.slice(0, 3).join(', ')}`);
    for (const record of records)
      this.records.set(key(record.EvseID), { record, operatorId, operatorName, lastUpdate });
  }

  /** Lets go of records `hold` put there, again without a trace in the history. */
  release(evseIds: readonly string[]): void {
    for (const id of evseIds) this.records.delete(key(id));
  }

  get(evseId: string): StoredEvse | undefined {
    return this.records.get(key(evseId));
  }

  /** Whether the operator ever uploaded EVSE data (HBS only checks 603/604 for such CPOs). */
  hasUploaded(operatorId: string): boolean {
    return this.operatorsWithData.has(operatorId);
  }

  all(): StoredEvse[] {
    return [...this.records.values()];
  }

  /** The net change per EVSE since `sinceMs`, each tagged with its deltaType; unchanged records are left out. */
  changedSince(sinceMs: number): Array<StoredEvse & { deltaType: DeltaType }> {
    const net = new Map<string, { first: DeltaType; last: Change }>();
    for (const c of this.changes) {
      if (c.atMs <= sinceMs) continue;
      const k = key(c.evseId);
      const seen = net.get(k);
      net.set(k, { first: seen?.first ?? c.deltaType, last: c });
    }
    const out: Array<StoredEvse & { deltaType: DeltaType }> = [];
    for (const { first, last } of net.values()) {
      // Inserted and deleted within the window: the EMP never saw it, so there is nothing to tell.
      if (first === 'insert' && last.deltaType === 'delete') continue;
      const deltaType: DeltaType = last.deltaType === 'delete' ? 'delete' : first === 'insert' ? 'insert' : 'update';
      out.push({ ...last.snapshot, deltaType });
    }
    return out;
  }
}

function findDuplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(key(id)) ? dup : seen).add(key(id));
  return [...dup];
}
