import { deepFreeze } from '../../config/freeze.js';
import type { EvseDataRecord } from '../../oicp/messages.js';
import { BoundedMemo } from '../../shared/bounded-memo.js';
import { copyOwnProperties, copyWith } from '../../shared/own-properties.js';

export type ActionType = 'fullLoad' | 'update' | 'insert' | 'delete';
export type DeltaType = 'insert' | 'update' | 'delete';

export interface StoredEvse {
  record: EvseDataRecord;
  operatorId: string;
  operatorName: string;
  /** When HBS last changed this record (ISO). */
  lastUpdate: string;
}

/**
 * What became of one EvseID over time, for delta pulls: its changes as runs of one deltaType, each run kept as one
 * entry at the time of its last change. A delta pull needs, for any LastCall, the type of the first change after it
 * and the state now; a run of updates answers every LastCall inside it the same way, so it costs one entry however
 * many fullLoads repeat the record. What is left grows only with inserts and deletes of the EvseID.
 */
interface History {
  runs: Array<{ deltaType: DeltaType; lastAtMs: number }>;
  /** The record now, or as it was when deleted. */
  latest: StoredEvse;
}

export type PushOutcome =
  | { ok: true; inserted: number; updated: number; deleted: number }
  | { ok: false; info: string };

const key = (evseId: string): string => evseId.toUpperCase();

/** Distinct nested values remembered for sharing; past this the memo starts again (see SharedValues). */
const SHARED_VALUES = 4096;

/**
 * One frozen copy of each nested value of the records (an address, coordinates, the plug, payment and
 * authentication lists, the charging facilities), shared by every record that has it: the EVSEs of a station repeat
 * their address and coordinates, and most records repeat their lists. A record's nested values are most of its
 * memory (100,000 records of the bench's shape: 127 → 72 MiB). Values are matched by their JSON text, so a record
 * reads exactly as it was pushed; the memo is bounded, so values that never repeat cost nothing lasting. Frozen,
 * because a change under one record would be a change under all.
 */
class SharedValues {
  private readonly seen = new BoundedMemo<string, unknown>(SHARED_VALUES);

  /**
   * A copy of the record whose nested values are the shared ones. The pusher's objects are neither kept nor frozen:
   * a value seen for the first time is kept as a fresh copy parsed from its JSON text.
   */
  share(record: EvseDataRecord): EvseDataRecord {
    const copy = copyOwnProperties(record as unknown as Record<string, unknown>, (value) =>
      value !== null && typeof value === 'object'
        ? this.seen.get(JSON.stringify(value), (json) => deepFreeze(JSON.parse(json)))
        : value,
    );
    return copy as unknown as EvseDataRecord;
  }
}

/**
 * EVSE data as HBS keeps it: the current records per operator, plus the change history that LastCall delta pulls
 * are answered from. @see OICP 2.3 CPO, 02 Services and Operations, eRoamingPushEvseData (ActionType, kept history);
 * OICP 2.3 EMP, 02 Services and Operations, eRoamingPullEvseData (LastCall delta pulls)
 */
export class EvseDataStore {
  private readonly records = new Map<string, StoredEvse>();
  /** Keys of each operator's records, so a push touches only its own. */
  private readonly byOperator = new Map<string, Set<string>>();
  private readonly operatorsWithData = new Set<string>();
  private readonly history = new Map<string, History>();
  /** Keys in EvseID order for pulls; rebuilt only after a record was added or removed. */
  private sortedKeys: string[] | undefined;
  private readonly shared = new SharedValues();

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
    const put = (pushed: EvseDataRecord): void => {
      const k = key(pushed.EvseID);
      const had = this.records.get(k);
      const stored: StoredEvse = { record: this.shared.share(pushed), operatorId, operatorName, lastUpdate };
      this.setRecord(k, stored, had);
      this.noteChange(k, had ? 'update' : 'insert', atMs, stored);
      if (had) updated++;
      else inserted++;
    };
    const remove = (evseId: string): void => {
      const k = key(evseId);
      const had = this.records.get(k);
      if (!had) return;
      this.deleteRecord(k, had);
      this.noteChange(k, 'delete', atMs, copyWith(had, { lastUpdate }));
      deleted++;
    };

    if (action === 'fullLoad') {
      const keep = new Set(incoming.map((r) => key(r.EvseID)));
      const mine = [...(this.byOperator.get(operatorId) ?? [])];
      for (const k of mine) if (!keep.has(k)) remove(this.records.get(k)?.record.EvseID ?? k);
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
      this.setRecord(
        key(record.EvseID),
        { record: this.shared.share(record), operatorId, operatorName, lastUpdate },
        undefined,
      );
  }

  /** Lets go of records `hold` put there, again without a trace in the history. */
  release(evseIds: readonly string[]): void {
    for (const id of evseIds) {
      const k = key(id);
      const had = this.records.get(k);
      if (had) this.deleteRecord(k, had);
    }
  }

  get(evseId: string): StoredEvse | undefined {
    return this.records.get(key(evseId));
  }

  /** Whether the operator ever uploaded EVSE data (HBS only checks 603/604 for such CPOs). */
  hasUploaded(operatorId: string): boolean {
    return this.operatorsWithData.has(operatorId);
  }

  /** How many records HBS holds. */
  size(): number {
    return this.records.size;
  }

  all(): StoredEvse[] {
    return [...this.records.values()];
  }

  /** Every record in EvseID order (code-unit order of the upper-cased ID). */
  sorted(): StoredEvse[] {
    return this.keysInOrder().map((k) => this.records.get(k)!);
  }

  /** Records `from`…`from + count − 1` in EvseID order, without touching the others. */
  sortedSlice(from: number, count: number): StoredEvse[] {
    return this.keysInOrder()
      .slice(from, from + count)
      .map((k) => this.records.get(k)!);
  }

  /** The net change per EVSE since `sinceMs`, each tagged with its deltaType; unchanged records are left out. */
  changedSince(sinceMs: number): Array<StoredEvse & { deltaType: DeltaType }> {
    const out: Array<StoredEvse & { deltaType: DeltaType }> = [];
    for (const { runs, latest } of this.history.values()) {
      const last = runs.at(-1);
      if (!last || last.lastAtMs <= sinceMs) continue;
      const first = runs.find((r) => r.lastAtMs > sinceMs)!.deltaType;
      // Inserted and deleted within the window: the EMP never saw it, so there is nothing to tell.
      if (first === 'insert' && last.deltaType === 'delete') continue;
      const deltaType: DeltaType = last.deltaType === 'delete' ? 'delete' : first === 'insert' ? 'insert' : 'update';
      out.push(copyWith(latest, { deltaType }));
    }
    return out;
  }

  private keysInOrder(): string[] {
    this.sortedKeys ??= [...this.records.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.sortedKeys;
  }

  private setRecord(k: string, stored: StoredEvse, had: StoredEvse | undefined): void {
    if (had && had.operatorId !== stored.operatorId) this.byOperator.get(had.operatorId)?.delete(k);
    if (!had) this.sortedKeys = undefined;
    this.records.set(k, stored);
    const mine = this.byOperator.get(stored.operatorId);
    if (mine) mine.add(k);
    else this.byOperator.set(stored.operatorId, new Set([k]));
  }

  private deleteRecord(k: string, had: StoredEvse): void {
    this.records.delete(k);
    this.byOperator.get(had.operatorId)?.delete(k);
    this.sortedKeys = undefined;
  }

  private noteChange(k: string, deltaType: DeltaType, atMs: number, latest: StoredEvse): void {
    const h = this.history.get(k);
    if (!h) {
      this.history.set(k, { runs: [{ deltaType, lastAtMs: atMs }], latest });
      return;
    }
    const last = h.runs.at(-1);
    if (last && last.deltaType === deltaType) last.lastAtMs = atMs;
    else h.runs.push({ deltaType, lastAtMs: atMs });
    h.latest = latest;
  }
}

function findDuplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(key(id)) ? dup : seen).add(key(id));
  return [...dup];
}
