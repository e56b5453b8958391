import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Partner } from '../config/world/types.js';
import { TlsError } from '../shared/errors.js';

/**
 * Which CAs the hub accepts client certificates from, and for whom. The run's CA (certs/ca.crt, standing in for
 * Hubject's) issues certificates for every partner. A partner may also bring its own client CA (`clientCaFile`):
 * the TLS handshake then accepts certificates of that CA too, but they identify that partner only, so one partner's
 * CA can never issue a certificate with another partner's ID as its CN.
 */
export interface ClientTrust {
  /** Every CA certificate (PEM) the TLS server verifies client certificates against. */
  ca: string[];
  /** SHA-256 fingerprints of the run's CA certificates: certificates under them may name any partner. */
  hub: ReadonlySet<string>;
  /** Partner key → fingerprints of the CA certificates of its clientCaFile. */
  own: ReadonlyMap<string, ReadonlySet<string>>;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM file (a bundle may hold a root and intermediates), parsed. */
function certificatesIn(text: string, file: string): X509Certificate[] {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0)
    throw new TlsError('TLS_INVALID', `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, { file });
  return blocks.map((pem) => {
    try {
      return new X509Certificate(pem);
    } catch (e) {
      throw new TlsError('TLS_INVALID', `${file} holds a certificate that cannot be read`, { file, cause: e });
    }
  });
}

/** The trust of a hub with `hubCa` and these partners; reads each clientCaFile once, at start. */
export function clientTrust(hubCa: string, partners: readonly Partner[]): ClientTrust {
  const hubCerts = certificatesIn(hubCa, 'the hub CA');
  const ca = [hubCa];
  const own = new Map<string, Set<string>>();
  for (const partner of partners) {
    if (partner.clientCaFile === undefined) continue;
    const text = readFileSync(partner.clientCaFile, 'utf8');
    const certs = certificatesIn(text, partner.clientCaFile);
    ca.push(...certs.map((c) => c.toString()));
    own.set(partner.key, new Set(certs.map((c) => c.fingerprint256)));
  }
  return { ca, hub: new Set(hubCerts.map((c) => c.fingerprint256)), own };
}

/**
 * Whether a verified client certificate may identify `partner`: its chain (`issuers`, the fingerprints of the CA
 * certificates above it) runs through the run's CA, or through a CA of the partner's own clientCaFile.
 */
export function chainAllows(
  trust: ClientTrust,
  issuers: readonly string[],
  partner: Partner,
): { ok: true } | { ok: false; reason: string } {
  if (issuers.some((f) => trust.hub.has(f))) return { ok: true };
  const own = trust.own.get(partner.key);
  if (own && issuers.some((f) => own.has(f))) return { ok: true };
  return {
    ok: false,
    reason:
      `the client certificate names ${partner.id} but was issued by a CA that is neither the hub CA certs/ca.crt ` +
      `nor one of ${partner.id}'s clientCaFile; a partner's own CA identifies that partner only`,
  };
}
