import bcrypt from 'bcryptjs';
import { type Medium, mediumOf, sameMedium } from '../../oicp/media.js';
import type { Identification } from '../../oicp/messages.js';
import type { ActionType } from './evse-data.js';

interface StoredAuth {
  providerId: string;
  identification: Identification;
  medium: Medium;
}

/**
 * Offline authentication data pushed by EMPs (PushAuthenticationData), consulted first by AuthorizeStart.
 * PINs sent in clear are bcrypt-hashed on upload, as HBS does; pre-hashed PINs must say their function.
 * @see OICP 2.3 EMP, 02 Services and Operations, eRoamingPushAuthenticationData; Hubject support article
 *   "Service Type Settings (CPO)" (uploaded data is checked first)
 */
export class AuthDataStore {
  private readonly byProvider = new Map<string, StoredAuth[]>();

  apply(providerId: string, action: ActionType, records: Identification[]): { ok: true } | { ok: false; info: string } {
    const current = this.byProvider.get(providerId) ?? [];
    const incoming = records.map((identification) => {
      const medium = mediumOf(identification);
      if (medium?.pin !== undefined) {
        // HBS never keeps a PIN in clear.
        medium.hashedPin = { Value: bcrypt.hashSync(medium.pin, 8), Function: 'Bcrypt' };
        delete medium.pin;
      }
      return { providerId, identification, medium: medium ?? { kind: 'Remote' as const } };
    });
    const has = (m: Medium): boolean => current.some((c) => sameMedium(c.medium, m));
    if (action === 'insert') {
      const clash = incoming.filter((r) => has(r.medium));
      if (clash.length) return { ok: false, info: `insert aborted: ${clash.length} record(s) already exist` };
    }
    if (action === 'update' || action === 'delete') {
      const missing = incoming.filter((r) => !has(r.medium));
      if (missing.length) return { ok: false, info: `${action} aborted: ${missing.length} record(s) not found` };
    }
    let next: StoredAuth[];
    if (action === 'fullLoad') next = incoming;
    else if (action === 'delete') next = current.filter((c) => !incoming.some((r) => sameMedium(c.medium, r.medium)));
    else next = [...current.filter((c) => !incoming.some((r) => sameMedium(c.medium, r.medium))), ...incoming];
    this.byProvider.set(providerId, next);
    return { ok: true };
  }

  /** The provider whose uploaded data authorizes this medium (PIN checked for QR codes), among `providers`. */
  lookup(medium: Medium | undefined, providers: Set<string>): string | undefined {
    if (!medium) return undefined;
    for (const [providerId, records] of this.byProvider) {
      if (!providers.has(providerId)) continue;
      for (const r of records) {
        if (!sameMedium(r.medium, medium)) continue;
        if (medium.kind === 'QRCode' && !pinMatches(r.medium, medium.pin)) continue;
        return providerId;
      }
    }
    return undefined;
  }

  count(providerId: string): number {
    return this.byProvider.get(providerId)?.length ?? 0;
  }
}

function pinMatches(stored: Medium, pin: string | undefined): boolean {
  if (!stored.hashedPin) return true;
  if (pin === undefined) return false;
  if (stored.hashedPin.Function === 'Bcrypt') return bcrypt.compareSync(pin, stored.hashedPin.Value);
  // Legacy MD5/SHA-1 hashes carry salt rules outside OICP; HBS cannot verify them offline either.
  return false;
}
