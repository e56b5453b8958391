import type { IncomingMessage } from 'node:http';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { OperationId } from '../oicp/operations.js';
import { OPERATIONS } from '../oicp/operations.js';
import { normalizePartnerId } from '../oicp/patterns.js';
import { valueAt } from '../shared/json-pointer.js';
import { certificateIdentity } from '../tls/load.js';

export interface ClaimedId {
  where: string;
  value: string;
}

/** Every place the request names its sender: the path parameter and the body fields. */
export function claimedIds(
  operation: OperationId,
  pathIds: { operatorID?: string; providerID?: string },
  body: unknown,
): ClaimedId[] {
  const out: ClaimedId[] = [];
  const param = OPERATIONS[operation].idParam;
  const fromPath =
    param === 'operatorID' ? pathIds.operatorID : param === 'providerID' ? pathIds.providerID : undefined;
  if (fromPath !== undefined) out.push({ where: `path {${param}}`, value: fromPath });
  for (const pointer of OPERATIONS[operation].senderIdPointers) {
    const v = valueAt(body, pointer);
    if (typeof v === 'string') out.push({ where: pointer, value: v });
  }
  return out;
}

/** The first claimed ID that is not the certificate's, if any. */
export function mismatch(claims: ClaimedId[], certificateId: string): ClaimedId | undefined {
  const n = normalizePartnerId(certificateId);
  return claims.find((c) => normalizePartnerId(c.value) !== n);
}

/** `issuers`: SHA-256 fingerprints of the CA certificates above the client certificate, as the handshake verified it. */
export type PeerIdentity = { ok: true; id: string; issuers: string[] } | { ok: false; reason: string };

/**
 * Identities already read, per TLS connection: a kept-alive partner sends many requests on one socket, and decoding
 * its certificate (getPeerCertificate builds a fresh object each call) cost about 6 % of a forwarded request. Sound
 * because the certificate of a connection cannot change: the hub disables renegotiation on every connection
 * (server.ts), the only way a TLS 1.2 peer could present another one. Weak keys: a closed socket takes its entry.
 */
const identities = new WeakMap<object, PeerIdentity>();

/** The partner ID in a verified client certificate, or why there is none (read once per connection). */
export function peerIdentity(req: IncomingMessage): PeerIdentity {
  const socket = req.socket as TLSSocket;
  const known = identities.get(socket);
  if (known) return known;
  const identity = readPeerIdentity(socket);
  identities.set(socket, identity);
  return identity;
}

function readPeerIdentity(socket: TLSSocket): PeerIdentity {
  if (typeof socket.getPeerCertificate !== 'function') return { ok: false, reason: 'not a TLS connection' };
  // Detailed: with the issuer chain, completed from the trusted CAs, so the caller can tell which CA vouched for it.
  const cert = socket.getPeerCertificate(true);
  if (!cert || Object.keys(cert).length === 0) {
    return {
      ok: false,
      reason: 'no client certificate presented; HBS requires mutual TLS (use certs/partners/<key>/client.crt)',
    };
  }
  if (!socket.authorized) {
    return {
      ok: false,
      reason: `client certificate not accepted (${String(socket.authorizationError)}); it must be issued by the hub CA certs/ca.crt, or by the CA of the partner's clientCaFile`,
    };
  }
  const id = certificateIdentity(cert);
  return id
    ? { ok: true, id, issuers: issuerFingerprints(cert) }
    : { ok: false, reason: 'client certificate has no subject CN carrying an OperatorID/ProviderID' };
}

/** The fingerprints up the chain Node gives (a self-signed root is its own issuer, which ends the walk). */
function issuerFingerprints(cert: DetailedPeerCertificate): string[] {
  const out: string[] = [];
  const seen = new Set<DetailedPeerCertificate>([cert]);
  for (let c = cert.issuerCertificate; c && !seen.has(c); c = c.issuerCertificate) {
    seen.add(c);
    out.push(c.fingerprint256);
  }
  return out;
}
