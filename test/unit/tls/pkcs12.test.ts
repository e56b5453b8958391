import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TlsError } from '../../../src/shared/errors.js';
import { type CertSubject, ensureCerts } from '../../../src/tls/certs.js';
import { loadPartnerTls } from '../../../src/tls/load.js';
import { checkPassphrase, pkcs12, writePartnerPkcs12 } from '../../../src/tls/pkcs12.js';

/**
 * The .p12 files for Java and .NET backends must open in the tools those stacks use: OpenSSL (which .NET on Linux
 * uses underneath) and Java's keytool, with the right passphrase only, holding the key that belongs to the
 * certificate and the CA that completes the chain. A tool that is not installed is skipped, saying so.
 */

const PARTNER: CertSubject = { key: 'under-test-deacm', id: 'DE*ACM', role: 'CPO', name: 'ACME' };
const PASS = 'correct horse 42!';
const has = (tool: string, ...args: string[]) => spawnSync(tool, args, { stdio: 'ignore' }).status === 0;
const OPENSSL = has('openssl', 'version');
const KEYTOOL = has('keytool', '-help');
if (!OPENSSL) console.log('pkcs12 tests: openssl is not on PATH; the OpenSSL checks are skipped');
if (!KEYTOOL) console.log('pkcs12 tests: keytool is not on PATH; the Java checks are skipped');

let dir: string;
let files: { client: string; server: string };
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hbs-sim-p12-'));
  await ensureCerts({ dir, partners: [PARTNER] });
  files = await writePartnerPkcs12(dir, PARTNER, PASS);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function openssl(file: string, pass: string): { status: number | null; out: string; err: string } {
  const r = spawnSync('openssl', ['pkcs12', '-in', file, '-passin', `pass:${pass}`, '-nodes', '-info'], {
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('PKCS#12 key stores of a partner', () => {
  it('are written next to the PEM files, readable by the owner only', () => {
    expect(files.client).toBe(path.join(dir, 'partners/under-test-deacm/client.p12'));
    expect(files.server).toBe(path.join(dir, 'partners/under-test-deacm/server.p12'));
    for (const f of [files.client, files.server]) expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!OPENSSL)('open in OpenSSL with modern algorithms and hold the key of the certificate, and the CA', () => {
    const tls = loadPartnerTls(dir, PARTNER);
    for (const [file, pair] of [
      [files.client, tls.client],
      [files.server, tls.server],
    ] as const) {
      const r = openssl(file, PASS);
      expect(r.status, r.err).toBe(0);
      expect(r.err).toContain('MAC: sha256');
      expect(r.err).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/);
      const certs = [...r.out.matchAll(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)].map(
        (m) => new X509Certificate(m[0]),
      );
      const keyPem = /-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----/.exec(r.out)?.[0];
      expect(keyPem).toBeDefined();
      const leaf = new X509Certificate(pair.cert);
      expect(certs.map((c) => c.fingerprint256)).toEqual([
        leaf.fingerprint256,
        new X509Certificate(tls.ca).fingerprint256,
      ]);
      expect(leaf.checkPrivateKey(createPrivateKey(keyPem!))).toBe(true);
    }
  });

  it.skipIf(!OPENSSL)('refuse a wrong passphrase', () => {
    const r = openssl(files.client, 'wrong horse');
    expect(r.status).not.toBe(0);
    expect(r.err).toMatch(/mac verify|invalid password/i);
  });

  it.skipIf(!KEYTOOL)(
    'list in Java keytool as a private key entry with its chain, with the right passphrase only',
    () => {
      const list = (pass: string) =>
        spawnSync('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', files.client, '-storepass', pass], {
          encoding: 'utf8',
        });
      const ok = list(PASS);
      expect(ok.status, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toContain('Alias name: client');
      expect(ok.stdout).toContain('Entry type: PrivateKeyEntry');
      expect(ok.stdout).toContain('Certificate chain length: 2');
      expect(list('wrong horse').status).not.toBe(0);
      // Copying the entry makes Java decrypt the key, which listing does not.
      const copy = path.join(dir, 'copy.p12');
      execFileSync('keytool', [
        '-importkeystore',
        '-noprompt',
        '-srckeystore',
        files.client,
        '-srcstoretype',
        'PKCS12',
        '-srcstorepass',
        PASS,
        '-destkeystore',
        copy,
        '-deststoretype',
        'PKCS12',
        '-deststorepass',
        'another-pass',
      ]);
      expect(readFileSync(copy).length).toBeGreaterThan(0);
    },
  );

  it('refuse an empty, overlong or non-ASCII passphrase (Java cannot open those), naming the fix', () => {
    const tls = loadPartnerTls(dir, PARTNER);
    const make = (passphrase: string) => () =>
      pkcs12({ pair: tls.client, chain: [tls.ca], passphrase, friendlyName: 'client' });
    expect(make('')).toThrow(TlsError);
    expect(make('')).toThrow(/is empty/);
    expect(make('x'.repeat(1025))).toThrow(/at most 1024/);
    expect(() => checkPassphrase('sëcret', '--p12-passphrase')).toThrow(
      /--p12-passphrase has characters other than printable ASCII/,
    );
  });

  it('refuse a key that is not the certificate’s', () => {
    const tls = loadPartnerTls(dir, PARTNER);
    expect(() =>
      pkcs12({ pair: { cert: tls.client.cert, key: tls.server.key }, chain: [], passphrase: PASS, friendlyName: 'x' }),
    ).toThrow(/does not belong/);
  });
});
