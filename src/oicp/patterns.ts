/**
 * OICP 2.3 identifier patterns, exactly as the official OpenAPI schemas give them (including their quirks: the `|`
 * inside character classes is a literal pipe, several patterns are unanchored). They compile only without the
 * regex `u` flag, so ajv runs with `unicodeRegExp: false`.
 * @see OICP 2.3 CPO OpenAPI and OICP 2.3 EMP OpenAPI, src/schemas/*.yaml (EvseID, EvcoID, OperatorID, …)
 */
export const PATTERNS = Object.freeze({
  EvseID: String.raw`^(([A-Za-z]{2}\*?[A-Za-z0-9]{3}\*?E[A-Za-z0-9\*]{1,30})|(\+?[0-9]{1,3}\*[0-9]{3}\*[0-9\*]{1,32}))$`,
  EvcoID: String.raw`^(([A-Za-z]{2}\-?[A-Za-z0-9]{3}\-?C[A-Za-z0-9]{8}\-?[\d|A-Za-z])|([A-Za-z]{2}[\*|\-]?[A-Za-z0-9]{3}[\*|\-]?[A-Za-z0-9]{6}[\*|\-]?[\d|X]))$`,
  OperatorID: String.raw`^(([A-Za-z]{2}\*?[A-Za-z0-9]{3})|(\+?[0-9]{1,3}\*[0-9]{3}))$`,
  ProviderID: String.raw`^([A-Za-z]{2}\-?[A-Za-z0-9]{3}|[A-Za-z]{2}[\*|-]?[A-Za-z0-9]{3})$`,
  ProviderIDAsterisk: String.raw`^([A-Za-z]{2}\-?[A-Za-z0-9]{3}|[A-Za-z]{2}[\*|-]?[A-Za-z0-9]{3})|\*$`,
  SessionID: String.raw`^[A-Za-z0-9]{8}(-[A-Za-z0-9]{4}){3}-[A-Za-z0-9]{12}$`,
  UID: String.raw`^([0-9A-F]{8,8}|[0-9A-F]{14,14}|[0-9A-F]{20,20})$`,
  ChargingPoolID: String.raw`([A-Za-z]{2}\*?[A-Za-z0-9]{3}\*?P[A-Za-z0-9\*]{1,30})`,
  HashedPINValue: String.raw`^[0-9A-Za-z\\.+/=\\$]{10,100}$`,
  HotlinePhoneNumber: String.raw`^\+[0-9]{5,15}$`,
  InfoTextLang: String.raw`^[a-z]{2,3}(?:-[A-Z]{2,3}(?:-[a-zA-Z]{4})?)?(?:-x-[a-zA-Z0-9]{1,8})?$`,
  GoogleCoordinates: String.raw`^-?1?\d{1,2}\.\d{1,6}\s*\,?\s*-?1?\d{1,2}\.\d{1,6}$`,
  DecimalDegree: String.raw`^-?1?\d{1,2}\.\d{1,6}$`,
  DegreeMinuteSeconds: String.raw`^-?1?\d{1,2}°[ ]?\d{1,2}'[ ]?\d{1,2}\.\d+''$`,
  TimeZone: String.raw`[U][T][C][+,-][0-9][0-9][:][0-9][0-9]`,
  Period: String.raw`[0-9]{2}:[0-9]{2}`,
});

export type PatternName = keyof typeof PATTERNS;

const compiled = new Map<PatternName, RegExp>();

/** Tests a value against an OICP pattern with the same (non-unicode) semantics ajv uses. */
export function matchesPattern(name: PatternName, value: string): boolean {
  let re = compiled.get(name);
  if (!re) {
    re = new RegExp(PATTERNS[name]);
    compiled.set(name, re);
  }
  return re.test(value);
}

/**
 * The OperatorID an EvseID belongs to, normalised without separators (`DE*ABC*E123` → `DEABC`), for the 018 check.
 * DIN-form EvseIDs (`+49*810*…`) yield `+49*810`.
 */
export function operatorOfEvseId(evseId: string): string | undefined {
  const iso = /^([A-Za-z]{2})\*?([A-Za-z0-9]{3})\*?E/.exec(evseId);
  if (iso) return `${iso[1]}${iso[2]}`.toUpperCase();
  const din = /^(\+?[0-9]{1,3})\*([0-9]{3})\*/.exec(evseId);
  return din ? `${din[1]}*${din[2]}` : undefined;
}

/** OperatorID/ProviderID without separators, upper-case, so `DE*ABC`, `DEABC` and `de*abc` compare equal. */
export function normalizePartnerId(id: string): string {
  const din = /^(\+?[0-9]{1,3})\*([0-9]{3})$/.exec(id);
  if (din) return `${din[1]}*${din[2]}`;
  return id.replace(/[*\-|]/g, '').toUpperCase();
}

/**
 * The IDs a partner may use as the owner of its EvseIDs/EvcoIDs: its own OperatorID/ProviderID and its sub-partners',
 * normalised. HBS refuses others with 018/019; the world and profile loaders refuse them before any traffic.
 */
export function ownedIds(partner: { id: string; subPartnerIds: readonly string[] }): Set<string> {
  return new Set([partner.id, ...partner.subPartnerIds].map(normalizePartnerId));
}

/** The ProviderID an EvcoID belongs to, normalised (`DE-8EO-CAET5E4XY-3` → `DE8EO`), for the 019 check. */
export function providerOfEvcoId(evcoId: string): string | undefined {
  const m = /^([A-Za-z]{2})[*|-]?([A-Za-z0-9]{3})/.exec(evcoId);
  return m ? `${m[1]}${m[2]}`.toUpperCase() : undefined;
}
