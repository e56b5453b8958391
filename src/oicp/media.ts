import type { Identification } from './messages.js';
import { providerOfEvcoId } from './patterns.js';

/** The one authentication medium an Identification carries, reduced to what HBS compares. */
export interface Medium {
  kind: 'RFIDMifareFamily' | 'RFID' | 'QRCode' | 'PlugAndCharge' | 'Remote';
  uid?: string;
  evcoId?: string;
  pin?: string;
  hashedPin?: { Value: string; Function: string };
}

/**
 * @see OICP 2.3 CPO, 03 Data Types, IdentificationType (exactly one medium) and the medium types under it (Hubject
 *   upper-cases UIDs and EvcoIDs)
 */
export function mediumOf(identification: Identification): Medium | undefined {
  const i = identification as Record<string, Record<string, unknown> | null | undefined>;
  const up = (v: unknown): string | undefined => (typeof v === 'string' ? v.toUpperCase() : undefined);
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  if (i.RFIDMifareFamilyIdentification)
    return { kind: 'RFIDMifareFamily', uid: up(i.RFIDMifareFamilyIdentification.UID) };
  if (i.RFIDIdentification) {
    return { kind: 'RFID', uid: up(i.RFIDIdentification.UID), evcoId: up(i.RFIDIdentification.EvcoID) };
  }
  if (i.QRCodeIdentification) {
    const q = i.QRCodeIdentification;
    const hashed = q.HashedPIN as { Value?: unknown; Function?: unknown } | null | undefined;
    return {
      kind: 'QRCode',
      evcoId: up(q.EvcoID),
      pin: str(q.PIN),
      hashedPin:
        hashed && typeof hashed.Value === 'string'
          ? { Value: hashed.Value, Function: String(hashed.Function) }
          : undefined,
    };
  }
  if (i.PlugAndChargeIdentification) return { kind: 'PlugAndCharge', evcoId: up(i.PlugAndChargeIdentification.EvcoID) };
  if (i.RemoteIdentification) return { kind: 'Remote', evcoId: up(i.RemoteIdentification.EvcoID) };
  return undefined;
}

/** Two media name the same card/contract (UID for RFID kinds, EvcoID otherwise). */
export function sameMedium(a: Medium | undefined, b: Medium | undefined): boolean {
  if (!a || !b) return false;
  const rfid = (m: Medium): boolean => m.kind === 'RFID' || m.kind === 'RFIDMifareFamily';
  if (rfid(a) && rfid(b)) return a.uid !== undefined && a.uid === b.uid;
  return a.kind === b.kind && a.evcoId !== undefined && a.evcoId === b.evcoId;
}

/** The ProviderID an EvcoID-bearing medium routes to; UID-only media cannot be routed (→ broadcast). */
export function routableProvider(m: Medium | undefined): string | undefined {
  return m?.evcoId ? providerOfEvcoId(m.evcoId) : undefined;
}

/**
 * The NotAuthorized code for a wrong medium, by kind (offline stop with a different medium → 101/102/105: OICP 2.3
 * CPO, 04 Business Process Diagrams, AuthorizeStop).
 */
export function wrongMediumCode(m: Medium | undefined): '101' | '102' | '105' {
  if (m?.kind === 'QRCode') return '101';
  if (m?.kind === 'PlugAndCharge') return '105';
  return '102';
}
