import { findPartner, hasContract } from '../config/world/settings.js';
import type { Contract, Partner, ServiceTypeSetting, World } from '../config/world/types.js';
import type { OperationId, Role, ServiceType } from '../oicp/operations.js';
import { normalizePartnerId } from '../oicp/patterns.js';

/**
 * The partners and contracts the hub knows, as a live view over the (frozen) World: virtual actors and the harness
 * register their service URLs at run time, which swaps in a new World rather than mutating the loaded one.
 */
export class PartnerDirectory {
  /**
   * Answers already worked out for the current World: hasContract resolves both sides of every contract (O(contracts
   * × partners)) and byCertificateId and cpoForOperator scan the partners, on every request. Dropped whenever the
   * World is swapped, which is the only way partners or contracts change.
   */
  private memo = emptyMemo();

  constructor(private current: World) {}

  get world(): World {
    return this.current;
  }

  private set world(next: World) {
    this.current = next;
    this.memo = emptyMemo();
  }

  find(idOrKey: string): Partner | undefined {
    return findPartner(this.current, idOrKey);
  }

  /** The partner a client certificate names (CN = OperatorID/ProviderID). */
  byCertificateId(cn: string): Partner | undefined {
    const n = normalizePartnerId(cn);
    const known = this.memo.byId.get(n);
    if (known) return known;
    const found = this.current.partners.find((p) => normalizePartnerId(p.id) === n);
    // Only partners are kept: an unknown ID (in plain-HTTP mode, whatever a body claims) must not grow the map.
    if (found) this.memo.byId.set(n, found);
    return found;
  }

  /** The CPO an OperatorID (from an EvseID) belongs to, sub-operators included. */
  cpoForOperator(operatorId: string): Partner | undefined {
    const n = normalizePartnerId(operatorId);
    const known = this.memo.cpoByOperator.get(n);
    if (known) return known;
    const found = this.current.partners.find(
      (p) =>
        p.role === 'CPO' &&
        (normalizePartnerId(p.id) === n || p.subPartnerIds.some((s) => normalizePartnerId(s) === n)),
    );
    // As byCertificateId: only CPOs found are kept, an EvseID naming no CPO does not grow the map.
    if (found) this.memo.cpoByOperator.set(n, found);
    return found;
  }

  /** The EMP a ProviderID (from an EvcoID) belongs to, sub-providers included. */
  empForProvider(providerId: string): Partner | undefined {
    const n = normalizePartnerId(providerId);
    return this.current.partners.find(
      (p) =>
        p.role === 'EMP' &&
        (normalizePartnerId(p.id) === n || p.subPartnerIds.some((s) => normalizePartnerId(s) === n)),
    );
  }

  contracted(cpoId: string, empId: string, service: ServiceType): boolean {
    const key = `${cpoId}\n${empId}\n${service}`;
    let answer = this.memo.contracts.get(key);
    if (answer === undefined) {
      answer = hasContract(this.current, cpoId, empId, service);
      this.memo.contracts.set(key, answer);
    }
    return answer;
  }

  /** Partners of the other role under contract with `partner` for `service`. */
  counterparts(partner: Partner, service: ServiceType): Partner[] {
    const other: Role = partner.role === 'CPO' ? 'EMP' : 'CPO';
    return this.current.partners.filter(
      (p) =>
        p.role === other &&
        (partner.role === 'CPO'
          ? this.contracted(partner.id, p.id, service)
          : this.contracted(p.id, partner.id, service)),
    );
  }

  /** Sets (or with `undefined` clears) a partner's Service URL or one operation's URL, turning Online Request on. */
  setServiceUrl(idOrKey: string, service: ServiceType, url: string | undefined, operation?: OperationId): void {
    const p = this.require(idOrKey);
    const existing: ServiceTypeSetting = p.serviceTypes[service] ?? {
      onlineRequest: false,
      broadcast: false,
      operationUrls: {},
      clientCertification: true,
    };
    const next: ServiceTypeSetting = operation
      ? { ...existing, onlineRequest: true, operationUrls: { ...existing.operationUrls, [operation]: url } }
      : { ...existing, onlineRequest: url !== undefined || existing.onlineRequest, serviceUrl: url };
    this.replace({ ...p, serviceTypes: { ...p.serviceTypes, [service]: next } });
  }

  /** Adds a partner (or replaces the one with the same key), e.g. the partner under test from its profile. */
  upsert(partner: Partner, contracts: Contract[] = []): void {
    const partners = this.current.partners.filter((p) => p.key !== partner.key);
    this.world = {
      ...this.current,
      partners: [...partners, partner],
      contracts: [...this.current.contracts, ...contracts],
    };
  }

  setLocked(idOrKey: string, locked: boolean): void {
    this.replace({ ...this.require(idOrKey), locked });
  }

  private replace(partner: Partner): void {
    this.world = {
      ...this.current,
      partners: this.current.partners.map((p) => (p.key === partner.key ? partner : p)),
    };
  }

  private require(idOrKey: string): Partner {
    const p = this.find(idOrKey);
    if (!p) throw new Error(`unknown partner "${idOrKey}"`);
    return p;
  }
}

function emptyMemo() {
  return {
    contracts: new Map<string, boolean>(),
    byId: new Map<string, Partner>(),
    cpoByOperator: new Map<string, Partner>(),
  };
}
