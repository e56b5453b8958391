import { isIP } from 'node:net';
import type { generate } from 'selfsigned';
import type { PemPair } from './load.js';
import { type PieceSpec, SERVER_DNS_NAMES, SERVER_IPS } from './spec.js';

type SelfsignedOptions = NonNullable<Parameters<typeof generate>[1]>;
type Extensions = NonNullable<SelfsignedOptions['extensions']>;
type Attributes = NonNullable<Parameters<typeof generate>[0]>;

/**
 * Certificates start this long before "now": a partner backend in a container whose clock runs a little behind
 * must not see a brand-new certificate as not yet valid.
 */
export const BACKDATE_MS = 5 * 60_000;

/** Creates the self-signed CA certificate and its key. */
export function generateCa(spec: PieceSpec, now: Date): Promise<PemPair> {
  return generatePiece(spec, undefined, now);
}

/** Creates the certificate described by `spec` with a fresh key, signed by `ca`. */
export function generateSigned(spec: PieceSpec, ca: PemPair, now: Date): Promise<PemPair> {
  return generatePiece(spec, ca, now);
}

// EC P-256 keeps a full world well under a second and is accepted by OpenSSL, Java, Go and .NET clients alike.
async function generatePiece(spec: PieceSpec, ca: PemPair | undefined, now: Date): Promise<PemPair> {
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + spec.validityYears);
  // Loaded only when a certificate is made: with certs/ in place, `serve` and `run` start without it (~0.1 s).
  const { generate: make } = await import('selfsigned');
  const pems = await make(attributesOf(spec), {
    keyType: 'ec',
    curve: 'P-256',
    // selfsigned defaults to SHA-1, which current TLS stacks refuse.
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: extensionsOf(spec),
    ...(ca ? { ca: { cert: ca.cert, key: ca.key } } : {}),
  });
  return { cert: pems.cert, key: pems.private };
}

function attributesOf(spec: PieceSpec): Attributes {
  const attrs: Attributes = [{ name: 'commonName', value: escapeDnValue(spec.commonName) }];
  if (spec.organization !== undefined) {
    attrs.push({ name: 'organizationName', value: escapeDnValue(spec.organization) });
  }
  if (spec.organizationalUnit !== undefined) {
    attrs.push({ shortName: 'OU', value: escapeDnValue(spec.organizationalUnit) });
  }
  return attrs;
}

/**
 * selfsigned joins attributes into an RFC 4514 string (`CN=…, O=…`) before parsing it, so a partner named
 * "Stadtwerke Foo, GmbH" would otherwise lose everything after the comma.
 */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

function extensionsOf(spec: PieceSpec): Extensions {
  switch (spec.profile) {
    case 'ca':
      return [
        // pathLen 0: this CA signs leaf certificates only, never another CA.
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ];
    case 'server':
      return [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            ...SERVER_DNS_NAMES.map((value) => ({ type: 2 as const, value })),
            ...SERVER_IPS.map((ip) => ({ type: 7 as const, ip })),
            // A TLS client matches an address only against IP entries and a name only against DNS entries.
            ...(spec.extraNames ?? []).map((name) =>
              isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
            ),
          ],
        },
      ];
    case 'client':
      return [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ];
  }
}
