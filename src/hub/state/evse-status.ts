import type { EvseStatusValue } from '../../oicp/messages.js';
import type { ActionType } from './evse-data.js';

export interface StoredStatus {
  EvseID: string;
  EvseStatus: EvseStatusValue;
  operatorId: string;
  operatorName?: string;
  updatedAt: string;
}

/**
 * EVSE status records per operator; the same ActionType semantics as EVSE data.
 * @see OICP 2.3 CPO, 02 Services and Operations, eRoamingPushEvseStatus
 */
export class EvseStatusStore {
  private readonly statuses = new Map<string, StoredStatus>();

  apply(
    operatorId: string,
    operatorName: string | undefined,
    action: ActionType,
    records: Array<{ EvseID: string; EvseStatus: EvseStatusValue }>,
    now: Date,
  ): { ok: true } | { ok: false; info: string } {
    const k = (id: string): string => id.toUpperCase();
    const exists = (id: string): boolean => this.statuses.get(k(id))?.operatorId === operatorId;
    if (action === 'insert') {
      const clash = records.filter((r) => this.statuses.has(k(r.EvseID))).map((r) => r.EvseID);
      if (clash.length) return { ok: false, info: `insert aborted: status already exists for ${clash.join(', ')}` };
    }
    if (action === 'update' || action === 'delete') {
      const missing = records.filter((r) => !exists(r.EvseID)).map((r) => r.EvseID);
      if (missing.length) return { ok: false, info: `${action} aborted: no status for ${missing.join(', ')}` };
    }
    if (action === 'fullLoad') {
      for (const [id, s] of this.statuses) if (s.operatorId === operatorId) this.statuses.delete(id);
    }
    const updatedAt = now.toISOString();
    for (const r of records) {
      if (action === 'delete') this.statuses.delete(k(r.EvseID));
      else
        this.statuses.set(k(r.EvseID), {
          EvseID: r.EvseID,
          EvseStatus: r.EvseStatus,
          operatorId,
          operatorName,
          updatedAt,
        });
    }
    return { ok: true };
  }

  get(evseId: string): StoredStatus | undefined {
    return this.statuses.get(evseId.toUpperCase());
  }

  all(): StoredStatus[] {
    return [...this.statuses.values()];
  }
}
