import {
  createCipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  pbkdf2Sync,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import path from 'node:path';
import { TlsError } from '../shared/errors.js';
import { writeAtomically } from './certs.js';
import { loadPartnerTls, type PemPair } from './load.js';
import { type CertSubject, partnerSpecs } from './spec.js';

/**
 * PKCS#12 (RFC 7292) key stores of a partner's certificates, for Java and .NET backends that load a `.p12` rather
 * than PEM files. Written with node:crypto and a few lines of DER, so no dependency is needed, using the algorithms
 * OpenSSL 3 writes by default and Java (keytool, 8u301+ / 11.0.12+) and .NET read: the private key as a
 * PKCS8ShroudedKeyBag encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC; RFC 8018), the certificate and its CA
 * as plain certBags, and the whole store authenticated by an HMAC-SHA256 MAC keyed by the PKCS#12 KDF (RFC 7292
 * appendix B). Nothing in it uses RC2, 3DES or SHA-1 for protection.
 */

/** Iterations of both key derivations: Java's keystore default; far under .NET's 600 000 loading limit. */
export const PKCS12_ITERATIONS = 10_000;
/** Passphrases are typed or come from a CI secret; longer ones are a mistake (a file pasted in), not a secret. */
export const PASSPHRASE_MAX_LENGTH = 1024;

const OID = {
  data: '1.2.840.113549.1.7.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

export interface Pkcs12Input {
  /** The leaf certificate and its (unencrypted PEM) private key. */
  pair: PemPair;
  /** CA certificates (PEM) that complete the chain. */
  chain: readonly string[];
  passphrase: string;
  /** The entry's alias in Java's keytool and .NET's friendly name. */
  friendlyName: string;
  iterations?: number;
}

/** A passphrase a key store may be written with; a TlsError naming the fix otherwise. */
export function checkPassphrase(passphrase: string, where: string): void {
  if (passphrase === '')
    throw new TlsError(
      'TLS_INVALID',
      `${where} is empty: a .p12 with an empty passphrase leaves its key readable by anyone; give one (in CI: is the secret set?)`,
    );
  if (passphrase.length > PASSPHRASE_MAX_LENGTH)
    throw new TlsError('TLS_INVALID', `${where} is ${passphrase.length} characters; at most ${PASSPHRASE_MAX_LENGTH}`);
  // Java's PKCS12 key store refuses any other password ("Password is not ASCII"), so such a file would open in
  // OpenSSL and .NET but not in keytool or a JVM backend.
  if (!/^[\x20-\x7e]+$/.test(passphrase))
    throw new TlsError(
      'TLS_INVALID',
      `${where} has characters other than printable ASCII, which Java cannot open a .p12 with; use letters, digits, spaces and ASCII punctuation`,
    );
}

/** The DER bytes of a PFX holding the key, its certificate and the chain. */
export function pkcs12(input: Pkcs12Input): Buffer {
  checkPassphrase(input.passphrase, 'the PKCS#12 passphrase');
  const iterations = input.iterations ?? PKCS12_ITERATIONS;
  const leaf = new X509Certificate(input.pair.cert);
  const key = createPrivateKey(input.pair.key);
  if (!leaf.checkPrivateKey(key))
    throw new TlsError('TLS_INVALID', 'the private key does not belong to the certificate');
  // localKeyId pairs the key with its certificate (OpenSSL, Java and .NET match on it); any unique value works, the
  // certificate's digest is what OpenSSL uses.
  const keyId = createHash('sha1').update(leaf.raw).digest();
  const attributes = set(
    attribute(OID.friendlyName, bmpString(input.friendlyName)),
    attribute(OID.localKeyId, octetString(keyId)),
  );

  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const keyBag = seq(
    oid(OID.pkcs8ShroudedKeyBag),
    explicit(0, encryptedPrivateKeyInfo(pkcs8, input.passphrase, iterations)),
    attributes,
  );
  const certBags = [certBag(leaf.raw, attributes), ...input.chain.map((pem) => certBag(new X509Certificate(pem).raw))];
  // The key's bag is encrypted itself; the certificates are public, so their SafeContents is plain data.
  const authSafe = seq(dataContentInfo(seq(...certBags)), dataContentInfo(seq(keyBag)));

  const macSalt = randomBytes(16);
  const macKey = pkcs12Kdf(bmpPassword(input.passphrase), macSalt, 3, iterations, 32);
  const mac = createHmac('sha256', macKey).update(authSafe).digest();
  const macData = seq(
    seq(seq(oid(OID.sha256), derNull()), octetString(mac)),
    octetString(macSalt),
    integer(iterations),
  );
  return seq(integer(3), dataContentInfo(authSafe), macData);
}

/**
 * Writes `client.p12` and `server.p12` next to a partner's PEM files, each with the key, its certificate and the
 * CA. They are derived from the PEM files (read and checked first), so writing them again only changes the
 * passphrase; mode 0600 like the keys.
 */
export async function writePartnerPkcs12(
  dir: string,
  partner: CertSubject,
  passphrase: string,
): Promise<{ client: string; server: string }> {
  const tls = loadPartnerTls(dir, partner);
  const specs = partnerSpecs(partner);
  const file = (spec: { cert: string }) => path.join(dir, spec.cert.replace(/\.crt$/, '.p12'));
  const client = file(specs.client);
  const server = file(specs.server);
  await writeAtomically(
    client,
    pkcs12({ pair: tls.client, chain: [tls.ca], passphrase, friendlyName: 'client' }),
    0o600,
  );
  await writeAtomically(
    server,
    pkcs12({ pair: tls.server, chain: [tls.ca], passphrase, friendlyName: 'server' }),
    0o600,
  );
  return { client, server };
}

/** EncryptedPrivateKeyInfo (RFC 5208) with PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018 A.2, A.4, B.2.5). */
function encryptedPrivateKeyInfo(pkcs8: Buffer, passphrase: string, iterations: number): Buffer {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  // PBES2 takes the passphrase as its UTF-8 bytes (OpenSSL and Java agree), unlike the MAC's BMPString below.
  const key = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  const params = seq(
    seq(oid(OID.pbkdf2), seq(octetString(salt), integer(iterations), seq(oid(OID.hmacWithSha256), derNull()))),
    seq(oid(OID.aes256Cbc), octetString(iv)),
  );
  return seq(seq(oid(OID.pbes2), params), octetString(encrypted));
}

function certBag(der: Buffer, attributes?: Buffer): Buffer {
  const value = seq(oid(OID.x509Certificate), explicit(0, octetString(der)));
  return seq(oid(OID.certBag), explicit(0, value), ...(attributes ? [attributes] : []));
}

function dataContentInfo(content: Buffer): Buffer {
  return seq(oid(OID.data), explicit(0, octetString(content)));
}

function attribute(type: string, value: Buffer): Buffer {
  return seq(oid(type), set(value));
}

/** The password as the PKCS#12 KDF takes it: BMPString (UTF-16 big-endian) with a two-byte NUL terminator. */
function bmpPassword(passphrase: string): Buffer {
  return Buffer.concat([utf16be(passphrase), Buffer.alloc(2)]);
}

/** RFC 7292 appendix B.2 with SHA-256 (u = 32, v = 64 bytes); id 3 derives a MAC key. */
export function pkcs12Kdf(password: Buffer, salt: Buffer, id: number, iterations: number, length: number): Buffer {
  const u = 32;
  const v = 64;
  const stretch = (b: Buffer): Buffer => {
    const out = Buffer.alloc(v * Math.ceil(b.length / v));
    for (let i = 0; i < out.length; i++) out[i] = b[i % b.length]!;
    return out;
  };
  const d = Buffer.alloc(v, id);
  const i = Buffer.concat([stretch(salt), stretch(password)]);
  const blocks: Buffer[] = [];
  for (let n = 0; n * u < length; n++) {
    let a = createHash('sha256').update(d).update(i).digest();
    for (let r = 1; r < iterations; r++) a = createHash('sha256').update(a).digest();
    blocks.push(a);
    // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block of I, B being A repeated to v bytes.
    const b = stretch(a);
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[j + k]! + b[k]! + carry;
        i[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}

// --- DER (X.690): just the types a PFX needs ---

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/** SET OF: DER orders the elements by their encodings. */
function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));
}

function explicit(n: number, content: Buffer): Buffer {
  return tlv(0xa0 + n, content);
}

function octetString(b: Buffer): Buffer {
  return tlv(0x04, b);
}

function derNull(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

function integer(n: number): Buffer {
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  // A leading 1 bit would make it negative; zero is one 0 byte.
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const arcs = [first! * 40 + second!, ...rest];
  const bytes: number[] = [];
  for (const arc of arcs) {
    const group = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) group.unshift((rest & 0x7f) | 0x80);
    bytes.push(...group);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function bmpString(text: string): Buffer {
  return tlv(0x1e, utf16be(text));
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return le.swap16();
}
