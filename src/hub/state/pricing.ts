import type { PricingProductData } from '../../oicp/schemas/pricing.js';
import type { ActionType } from './evse-data.js';

/** One PricingProductData block as pushed (per operator and target ProviderID, `*` = every EMP). */
export interface StoredProductData {
  operatorId: string;
  targetProviderId: string;
  data: PricingProductData;
  updatedAtMs: number;
}

export interface StoredEvsePricing {
  operatorId: string;
  operatorName?: string;
  EvseID: string;
  ProviderID: string;
  EvseIDProductList: string[];
  updatedAtMs: number;
}

const offeredTo = (target: string, providerId: string): boolean =>
  target === '*' || target.toUpperCase() === providerId.toUpperCase();

/**
 * Dynamic pricing pushed by CPOs and pulled by EMPs.
 * @see OICP 2.3 CPO OpenAPI, schemas eRoamingPushPricingProductData and eRoamingPushEVSEPricing
 */
export class PricingStore {
  private readonly products = new Map<string, StoredProductData>();
  private readonly evsePricing = new Map<string, StoredEvsePricing>();

  applyProducts(
    operatorId: string,
    action: ActionType,
    data: PricingProductData,
    nowMs: number,
  ): { ok: true } | { ok: false; info: string } {
    const target = data.ProviderID;
    const k = `${operatorId}|${target}`;
    if (action === 'insert' && this.products.has(k))
      return { ok: false, info: `insert aborted: pricing products for ${target} already exist` };
    if ((action === 'update' || action === 'delete') && !this.products.has(k)) {
      return { ok: false, info: `${action} aborted: no pricing products for ${target}` };
    }
    if (action === 'fullLoad')
      for (const key of this.products.keys()) if (key.startsWith(`${operatorId}|`)) this.products.delete(key);
    if (action === 'delete') this.products.delete(k);
    else this.products.set(k, { operatorId, targetProviderId: target, data, updatedAtMs: nowMs });
    return { ok: true };
  }

  applyEvsePricing(
    operatorId: string,
    action: ActionType,
    records: Array<{ EvseID: string; ProviderID: string; EvseIDProductList: string[] }>,
    nowMs: number,
  ): { ok: true } | { ok: false; info: string } {
    const k = (r: { EvseID: string; ProviderID: string }): string => `${r.EvseID.toUpperCase()}|${r.ProviderID}`;
    if (action === 'insert') {
      const clash = records.filter((r) => this.evsePricing.has(k(r)));
      if (clash.length)
        return { ok: false, info: `insert aborted: already exist: ${clash.map((r) => r.EvseID).join(', ')}` };
    }
    if (action === 'update' || action === 'delete') {
      const missing = records.filter((r) => !this.evsePricing.has(k(r)));
      if (missing.length)
        return { ok: false, info: `${action} aborted: not found: ${missing.map((r) => r.EvseID).join(', ')}` };
    }
    if (action === 'fullLoad')
      for (const [key, v] of this.evsePricing) if (v.operatorId === operatorId) this.evsePricing.delete(key);
    for (const r of records) {
      if (action === 'delete') this.evsePricing.delete(k(r));
      else
        this.evsePricing.set(k(r), {
          operatorId,
          EvseID: r.EvseID,
          ProviderID: r.ProviderID,
          EvseIDProductList: r.EvseIDProductList,
          updatedAtMs: nowMs,
        });
    }
    return { ok: true };
  }

  productsFor(providerId: string, operatorIds: string[], sinceMs?: number): StoredProductData[] {
    return [...this.products.values()].filter(
      (p) =>
        operatorIds.includes(p.operatorId) &&
        offeredTo(p.targetProviderId, providerId) &&
        (sinceMs === undefined || p.updatedAtMs > sinceMs),
    );
  }

  evsePricingFor(providerId: string, operatorIds: string[], sinceMs?: number): StoredEvsePricing[] {
    return [...this.evsePricing.values()].filter(
      (p) =>
        operatorIds.includes(p.operatorId) &&
        offeredTo(p.ProviderID, providerId) &&
        (sinceMs === undefined || p.updatedAtMs > sinceMs),
    );
  }
}
