import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TlsError } from '../shared/errors.js';
import { CA_SPEC, type CertSubject, HUB_CLIENT_SPEC, HUB_SERVER_SPEC, type PieceSpec, partnerSpecs } from './spec.js';

/** A certificate and its private key, both PEM. */
export interface PemPair {
  cert: string;
  key: string;
}

/** Everything the hub needs: the CA partners are checked against, its HTTPS identity and its outbound identity. */
export interface HubTlsMaterial {
  ca: string;
  server: PemPair;
  client: PemPair;
}

/** Everything a local partner needs: the CA the hub is checked against, its identity towards the hub, its server. */
export interface PartnerTlsMaterial {
  ca: string;
  client: PemPair;
  server: PemPair;
}

/** A PEM pair whose paths are resolved against the certs folder. */
export interface PairPaths {
  cert: string;
  key: string;
}

/** Where the files of the CA and the hub live, for printing and for TLS options. */
export interface CertPaths {
  dir: string;
  ca: PairPaths;
  hubServer: PairPaths;
  hubClient: PairPaths;
}

/** CertPaths plus one partner's files. */
export interface PartnerCertPaths extends CertPaths {
  partnerClient: PairPaths;
  partnerServer: PairPaths;
}

/** A read and checked piece; the parsed certificate is kept so pieces it signed can be verified against it. */
export interface CheckedPiece extends PemPair {
  x509: X509Certificate;
}

const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** The paths of the certs folder's files, joined onto `dir` as given (a relative dir gives relative paths). */
export function certPaths(dir: string): CertPaths;
export function certPaths(dir: string, partnerKey: string): PartnerCertPaths;
export function certPaths(dir: string, partnerKey?: string): CertPaths | PartnerCertPaths {
  const at = (spec: PieceSpec): PairPaths => ({ cert: path.join(dir, spec.cert), key: path.join(dir, spec.key) });
  const base: CertPaths = { dir, ca: at(CA_SPEC), hubServer: at(HUB_SERVER_SPEC), hubClient: at(HUB_CLIENT_SPEC) };
  if (partnerKey === undefined) return base;
  // Only the key matters for paths; the ID and role are placeholders that never reach a file name.
  const specs = partnerSpecs({ key: partnerKey, id: partnerKey, role: 'CPO', name: partnerKey });
  return { ...base, partnerClient: at(specs.client), partnerServer: at(specs.server) };
}

/** Reads and checks the CA and the hub's certificates. Throws TlsError naming the file and the fix. */
export function loadHubTls(dir: string, now: Date = new Date()): HubTlsMaterial {
  const ca = readPiece(dir, CA_SPEC, undefined, now);
  return {
    ca: ca.cert,
    server: pairOf(readPiece(dir, HUB_SERVER_SPEC, ca, now)),
    client: pairOf(readPiece(dir, HUB_CLIENT_SPEC, ca, now)),
  };
}

/** Reads and checks the CA and one partner's certificates, including that the client CN is the partner's ID. */
export function loadPartnerTls(dir: string, partner: CertSubject, now: Date = new Date()): PartnerTlsMaterial {
  const specs = partnerSpecs(partner);
  const ca = readPiece(dir, CA_SPEC, undefined, now);
  return {
    ca: ca.cert,
    client: pairOf(readPiece(dir, specs.client, ca, now)),
    server: pairOf(readPiece(dir, specs.server, ca, now)),
  };
}

/**
 * The CN of a peer certificate (`tls.TLSSocket#getPeerCertificate()` or `X509Certificate#toLegacyObject()`), or
 * undefined when there is none. Node gives a repeated CN as an array; differing CNs are ambiguous, so no identity.
 */
export function certificateIdentity(cert: { subject?: Record<string, unknown> } | undefined): string | undefined {
  const cn = cert?.subject?.CN;
  if (typeof cn === 'string') return cn === '' ? undefined : cn;
  if (!Array.isArray(cn)) return undefined;
  const values = new Set(cn);
  const [only] = values;
  return values.size === 1 && typeof only === 'string' && only !== '' ? only : undefined;
}

/** Which files of a piece exist; a piece with only one of its two files is unusable and reported as such. */
export function presenceOf(dir: string, spec: PieceSpec): 'none' | 'both' | 'partial' {
  const cert = existsSync(path.join(dir, spec.cert));
  const key = existsSync(path.join(dir, spec.key));
  if (cert && key) return 'both';
  return cert || key ? 'partial' : 'none';
}

/** The error for a piece with one file missing, naming both files and the way out. */
export function partialPieceError(dir: string, spec: PieceSpec): TlsError {
  const certFile = path.join(dir, spec.cert);
  const keyFile = path.join(dir, spec.key);
  const [missing, present] = existsSync(certFile) ? [keyFile, certFile] : [certFile, keyFile];
  return new TlsError(
    'TLS_MISSING',
    `${missing} is missing but ${present} exists (${spec.label}); delete ${present} and run ` +
      `\`${certsCommand(dir)}\` to reissue it, or run \`${certsCommand(dir, true)}\` to regenerate everything`,
    { file: missing },
  );
}

/**
 * Reads a certificate and its key and checks everything a TLS handshake would otherwise fail on cryptically:
 * readable PEM, key belongs to the certificate, validity period, signed by `ca` (self-signed CA when `ca` is
 * undefined), usage, and for a partner's client certificate that its CN is the partner's ID.
 */
export function readPiece(dir: string, spec: PieceSpec, ca: CheckedPiece | undefined, now: Date): CheckedPiece {
  const certFile = path.join(dir, spec.cert);
  const presence = presenceOf(dir, spec);
  if (presence === 'partial') throw partialPieceError(dir, spec);
  if (presence === 'none') {
    const what =
      spec.profile === 'ca' ? `no certificates in ${dir} (${certFile} is missing)` : `${certFile} is missing`;
    throw new TlsError('TLS_MISSING', `${what}; run \`${certsCommand(dir)}\` to create it`, { file: certFile });
  }
  const fix = fixFor(dir, spec);
  const invalid = (problem: string, cause?: unknown): TlsError =>
    new TlsError('TLS_INVALID', `${certFile} (${spec.label}) ${problem}; ${fix}`, { file: certFile, cause });

  const cert = readText(dir, spec.cert, invalid);
  const key = readText(dir, spec.key, invalid);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    throw invalid('is not a readable PEM certificate', e);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (e) {
    throw invalid(`has a key file (${spec.key}) that is not an unencrypted PEM private key`, e);
  }
  if (!x509.checkPrivateKey(privateKey)) throw invalid(`does not match its private key ${spec.key}`);

  const validFrom = new Date(x509.validFrom);
  const validTo = new Date(x509.validTo);
  if (now.getTime() > validTo.getTime()) throw invalid(`expired on ${validTo.toISOString()}`);
  if (now.getTime() < validFrom.getTime()) throw invalid(`is not valid before ${validFrom.toISOString()}`);

  if (ca === undefined) {
    if (!x509.ca || !x509.verify(x509.publicKey)) throw invalid('is not a self-signed CA certificate');
  } else if (!x509.verify(ca.x509.publicKey)) {
    throw invalid(`is not signed by ${CA_SPEC.cert} (was the CA regenerated on its own?)`);
  }
  checkUsage(x509, spec, invalid);
  checkIdentity(x509, spec, invalid);
  return { cert, key, x509 };
}

/** The command that creates (or with `force`, regenerates) the material in `dir`, for error messages. */
export function certsCommand(dir: string, force = false): string {
  const dirFlag = path.resolve(dir) === path.resolve('certs') ? '' : ` --dir ${shellQuote(dir)}`;
  return `npx hbs-sim certs${dirFlag}${force ? ' --force' : ''}`;
}

function fixFor(dir: string, spec: PieceSpec): string {
  // A bad CA invalidates everything it signed; a bad leaf can be reissued alone under the existing CA.
  if (spec.profile === 'ca') return `run \`${certsCommand(dir, true)}\` to regenerate the CA and everything it signs`;
  return (
    `to reissue it, delete ${path.join(dir, spec.cert)} and ${path.join(dir, spec.key)} and run ` +
    `\`${certsCommand(dir)}\`, or run \`${certsCommand(dir, true)}\` to regenerate everything`
  );
}

function readText(dir: string, file: string, invalid: (problem: string, cause?: unknown) => TlsError): string {
  try {
    return readFileSync(path.join(dir, file), 'utf8');
  } catch (e) {
    throw invalid(`cannot be read (${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'})`, e);
  }
}

function checkUsage(x509: X509Certificate, spec: PieceSpec, invalid: (problem: string) => TlsError): void {
  if (spec.profile === 'ca') return;
  // Node calls the extended key usage `keyUsage`; undefined means "any purpose", which TLS accepts.
  const usage = x509.keyUsage as string[] | undefined;
  const needed = spec.profile === 'server' ? OID_SERVER_AUTH : OID_CLIENT_AUTH;
  if (usage !== undefined && !usage.includes(needed)) {
    throw invalid(`is not a TLS ${spec.profile} certificate (extended key usage lacks ${spec.profile}Auth)`);
  }
}

function checkIdentity(x509: X509Certificate, spec: PieceSpec, invalid: (problem: string) => TlsError): void {
  if (spec.partnerKey === undefined) return;
  const actual = certificateIdentity(x509.toLegacyObject());
  if (actual !== spec.commonName) {
    throw invalid(
      `is stale: certificate for ${spec.partnerKey} says ${actual ?? '(no CN)'}, world says ${spec.commonName}`,
    );
  }
}

function pairOf(piece: CheckedPiece): PemPair {
  return { cert: piece.cert, key: piece.key };
}

function shellQuote(value: string): string {
  return /^[\w./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
