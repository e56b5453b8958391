import type { Role } from '../oicp/operations.js';
import { ConfigError } from '../shared/errors.js';

/**
 * What each file under certs/ is: its path, subject, purpose and lifetime. Generation (certs.ts) and checking
 * (load.ts) both read these specs, so the two can never disagree about what a valid file looks like.
 */

/** A partner as the certificates see it: the folder key, its OICP ID (the client certificate's CN), role and name. */
export interface CertSubject {
  key: string;
  id: string;
  role: Role;
  name: string;
  /** DNS names and IP addresses its server certificate carries besides the loopback ones (SERVER_DNS_NAMES, SERVER_IPS). */
  serverNames?: readonly string[];
}

/** `ca` signs the others; `server` certificates carry the loopback SANs; `client` ones are TLS client identities. */
export type CertProfile = 'ca' | 'server' | 'client';

/** One certificate and its key, as generated and as checked. */
export interface PieceSpec {
  /** For messages: "the hub's server certificate", "virtual-cpo's client certificate". */
  label: string;
  /** Paths relative to the certs folder, `/`-separated. */
  cert: string;
  key: string;
  profile: CertProfile;
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  validityYears: number;
  /** Set on a partner's client certificate: its CN is the partner's identity, so a mismatch is named as such. */
  partnerKey?: string;
  /** A server certificate's DNS names and IP addresses besides SERVER_DNS_NAMES and SERVER_IPS. */
  extraNames?: readonly string[];
}

/** Hubject's CA certificates last 10 years. */
export const CA_VALIDITY_YEARS = 10;
/**
 * Hubject user certificates last 2 years. It also keeps server certificates under the 825 days macOS and iOS accept
 * for TLS servers, even under a private CA.
 */
export const LEAF_VALIDITY_YEARS = 2;

/** Subject CN of the local CA standing in for Hubject's. */
export const CA_COMMON_NAME = 'hbs-sim local CA';
/** Subject CN of the hub's HTTPS server certificate (clients check its SANs, not this). */
export const HUB_SERVER_COMMON_NAME = 'hbs-sim hub';
/** Subject CN the hub presents when it calls partners; partner backends may check for it. */
export const HUB_CLIENT_COMMON_NAME = 'Hubject HBS (simulated)';

/** The names every server certificate answers to: the hub and local partners listen on loopback only. */
export const SERVER_DNS_NAMES: readonly string[] = ['localhost'];
/** The loopback addresses every server certificate answers to, IPv4 and IPv6. */
export const SERVER_IPS: readonly string[] = ['127.0.0.1', '::1'];

/** `ca.crt` and `ca.key`. */
export const CA_SPEC: PieceSpec = Object.freeze({
  label: 'the local CA',
  cert: 'ca.crt',
  key: 'ca.key',
  profile: 'ca',
  commonName: CA_COMMON_NAME,
  validityYears: CA_VALIDITY_YEARS,
});

/** `hub/server.crt` and `hub/server.key`. */
export const HUB_SERVER_SPEC: PieceSpec = Object.freeze({
  label: "the hub's server certificate",
  cert: 'hub/server.crt',
  key: 'hub/server.key',
  profile: 'server',
  commonName: HUB_SERVER_COMMON_NAME,
  validityYears: LEAF_VALIDITY_YEARS,
});

/**
 * The hub's server certificate carrying `names` (DNS names or IP addresses) besides the loopback ones, for partners
 * that reach the hub from another host or container by a service name or address.
 */
export function hubServerSpec(names: readonly string[] = []): PieceSpec {
  return Object.freeze({ ...HUB_SERVER_SPEC, ...extraNamesOf(names) });
}

/** `extraNames` for a server certificate: the names given that the loopback ones do not already cover. */
function extraNamesOf(names: readonly string[]): { extraNames?: readonly string[] } {
  const always = new Set([...SERVER_DNS_NAMES, ...SERVER_IPS]);
  const extra = [...new Set(names)].filter((n) => !always.has(n));
  return extra.length === 0 ? {} : { extraNames: Object.freeze(extra) };
}

/** `hub/client.crt` and `hub/client.key`. */
export const HUB_CLIENT_SPEC: PieceSpec = Object.freeze({
  label: "the hub's client certificate",
  cert: 'hub/client.crt',
  key: 'hub/client.key',
  profile: 'client',
  commonName: HUB_CLIENT_COMMON_NAME,
  validityYears: LEAF_VALIDITY_YEARS,
});

// The key names a folder, so anything that could climb out of certs/partners/ or confuse a shell is refused.
const PARTNER_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Control characters do not survive a round trip through a certificate subject.
const CONTROL = /\p{Cc}/u;

/** The two certificates of a partner: its client identity towards the hub and its own HTTPS server. */
export function partnerSpecs(partner: CertSubject): { client: PieceSpec; server: PieceSpec } {
  if (!PARTNER_KEY.test(partner.key)) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `partner key "${partner.key}" cannot name a certificate folder; use letters, digits, ".", "_" and "-"`,
    );
  }
  if (partner.id.trim() === '' || CONTROL.test(partner.id)) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `partner ${partner.key} has ID ${JSON.stringify(partner.id)}, which cannot be a certificate CN`,
    );
  }
  const name = partner.name.replace(/\p{Cc}/gu, ' ');
  const dir = `partners/${partner.key}`;
  return {
    client: Object.freeze({
      label: `${partner.key}'s client certificate`,
      cert: `${dir}/client.crt`,
      key: `${dir}/client.key`,
      profile: 'client',
      // The hub maps a caller to a partner by this CN (a mismatch with the URL's ID is OICP 017).
      commonName: partner.id,
      organization: name,
      organizationalUnit: partner.role,
      validityYears: LEAF_VALIDITY_YEARS,
      partnerKey: partner.key,
    }),
    server: Object.freeze({
      label: `${partner.key}'s server certificate`,
      cert: `${dir}/server.crt`,
      key: `${dir}/server.key`,
      profile: 'server',
      commonName: `hbs-sim partner ${partner.key}`,
      organization: name,
      organizationalUnit: partner.role,
      validityYears: LEAF_VALIDITY_YEARS,
      ...extraNamesOf(partner.serverNames ?? []),
    }),
  };
}
