import { X509Certificate } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimError } from '../../../src/shared/errors.js';
import { type CertSubject, ensureCerts } from '../../../src/tls/certs.js';
import { loadHubTls, loadPartnerTls } from '../../../src/tls/load.js';

const VCPO: CertSubject = { key: 'virtual-cpo', id: 'DE*VCP', role: 'CPO', name: 'Virtual CPO, Berlin' };
const VEMP: CertSubject = { key: 'virtual-emp', id: 'DE-8EM', role: 'EMP', name: 'Virtual EMP' };
const LATE: CertSubject = { key: 'late-cpo', id: 'DE*LAT', role: 'CPO', name: 'Late CPO' };

const HUB_FILES = ['ca.crt', 'ca.key', 'hub/server.crt', 'hub/server.key', 'hub/client.crt', 'hub/client.key'];
const partnerFiles = (key: string): string[] =>
  ['client.crt', 'client.key', 'server.crt', 'server.key'].map((f) => `partners/${key}/${f}`);

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hbs-sim-tls-unit-'));
  dirs.push(dir);
  return dir;
}

/** The SimError `fn` throws (sync or async), so tests can assert on its code and message. */
async function errorOf(fn: () => unknown): Promise<SimError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof SimError) return e;
    throw e;
  }
  throw new Error('expected a SimError, nothing was thrown');
}

async function certOf(dir: string, file: string): Promise<X509Certificate> {
  return new X509Certificate(await readFile(path.join(dir, file), 'utf8'));
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('ensureCerts', () => {
  it('should create the CA, the hub pair and every partner pair in a fresh folder', async () => {
    const dir = await tempDir();
    const result = await ensureCerts({ dir, partners: [VCPO, VEMP] });

    expect(result.created).toEqual([...HUB_FILES, ...partnerFiles('virtual-cpo'), ...partnerFiles('virtual-emp')]);
    expect(result.kept).toEqual([]);
    expect(() => loadHubTls(dir)).not.toThrow();
    expect(() => loadPartnerTls(dir, VEMP)).not.toThrow();
  });

  it('should issue certificates with the subjects, names, usages and lifetimes the hub relies on', async () => {
    const dir = await tempDir();
    const now = new Date();
    await ensureCerts({ dir, partners: [VCPO], now });

    const ca = await certOf(dir, 'ca.crt');
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=hbs-sim local CA');
    expect(new Date(ca.validTo).getTime() - now.getTime()).toBeGreaterThan(9.9 * YEAR_MS);

    const server = await certOf(dir, 'hub/server.crt');
    expect(server.subject).toBe('CN=hbs-sim hub');
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(server.checkIssued(ca)).toBe(true);

    const hubClient = await certOf(dir, 'hub/client.crt');
    expect(hubClient.subject).toBe('CN=Hubject HBS (simulated)');
    expect(hubClient.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);

    const client = await certOf(dir, 'partners/virtual-cpo/client.crt');
    // The comma in the partner name survives: selfsigned parses the subject as an RFC 4514 string.
    expect(client.toLegacyObject().subject).toEqual({ CN: 'DE*VCP', O: 'Virtual CPO, Berlin', OU: 'CPO' });
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    const lifetimeYears = (new Date(client.validTo).getTime() - now.getTime()) / YEAR_MS;
    expect(lifetimeYears).toBeGreaterThan(1.99);
    expect(lifetimeYears).toBeLessThan(2.01);

    const partnerServer = await certOf(dir, 'partners/virtual-cpo/server.crt');
    expect(partnerServer.subjectAltName).toContain('DNS:localhost');
  });

  it.skipIf(process.platform === 'win32')('should write private keys readable by the owner only', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [VCPO] });
    for (const file of ['ca.key', 'hub/server.key', 'hub/client.key', 'partners/virtual-cpo/client.key']) {
      expect((await stat(path.join(dir, file))).mode & 0o777).toBe(0o600);
    }
  });

  it('should keep everything, byte for byte, on a second run', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [VCPO, VEMP] });
    const before = await readFile(path.join(dir, 'partners/virtual-emp/client.crt'), 'utf8');

    const result = await ensureCerts({ dir, partners: [VCPO, VEMP] });

    expect(result.created).toEqual([]);
    expect(result.kept).toHaveLength(HUB_FILES.length + 8);
    expect(await readFile(path.join(dir, 'partners/virtual-emp/client.crt'), 'utf8')).toBe(before);
  });

  it('should create only the files of a partner that joins the world, under the existing CA', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [VCPO] });
    const ca = await readFile(path.join(dir, 'ca.crt'), 'utf8');

    const result = await ensureCerts({ dir, partners: [VCPO, LATE] });

    expect(result.created).toEqual(partnerFiles('late-cpo'));
    expect(result.kept).toEqual([...HUB_FILES, ...partnerFiles('virtual-cpo')]);
    expect(await readFile(path.join(dir, 'ca.crt'), 'utf8')).toBe(ca);
    expect(loadPartnerTls(dir, LATE).client.cert).toContain('BEGIN CERTIFICATE');
  });

  it('should regenerate everything, the CA included, with force', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [VCPO] });
    const ca = await readFile(path.join(dir, 'ca.crt'), 'utf8');

    const result = await ensureCerts({ dir, partners: [VCPO], force: true });

    expect(result.created).toEqual([...HUB_FILES, ...partnerFiles('virtual-cpo')]);
    expect(result.kept).toEqual([]);
    expect(await readFile(path.join(dir, 'ca.crt'), 'utf8')).not.toBe(ca);
    expect(() => loadPartnerTls(dir, VCPO)).not.toThrow();
  });

  it('should refuse expired material, naming the file, the date and --force', async () => {
    const dir = await tempDir();
    // Issued three years ago: the 10-year CA is still valid, the 2-year leaves are not.
    await ensureCerts({ dir, partners: [VCPO], now: new Date(Date.now() - 3 * YEAR_MS) });

    const error = await errorOf(() => ensureCerts({ dir, partners: [VCPO] }));

    expect(error.code).toBe('TLS_INVALID');
    expect(error.message).toMatch(/hub[/\\]server\.crt .* expired on \d{4}-\d\d-\d\dT/);
    expect(error.message).toContain('--force');
    expect((await errorOf(() => loadPartnerTls(dir, VCPO))).message).toMatch(/client\.crt .* expired on/);
  });

  it('should refuse material that is not valid yet, naming the date', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [], now: new Date(Date.now() + YEAR_MS) });

    const error = await errorOf(() => loadHubTls(dir));

    expect(error.code).toBe('TLS_INVALID');
    expect(error.message).toMatch(/ca\.crt .* is not valid before \d{4}-/);
  });

  it('should refuse a certificate whose key does not belong to it', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [VCPO] });
    const partnerDir = path.join(dir, 'partners/virtual-cpo');
    await copyFile(path.join(partnerDir, 'server.key'), path.join(partnerDir, 'client.key'));

    const error = await errorOf(() => ensureCerts({ dir, partners: [VCPO] }));

    expect(error.code).toBe('TLS_INVALID');
    expect(error.message).toMatch(/client\.crt .* does not match its private key/);
  });

  it('should refuse a client certificate whose CN is not the partner ID, and reissue it once deleted', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [{ ...VCPO, id: 'DE*OLD' }] });

    const error = await errorOf(() => ensureCerts({ dir, partners: [VCPO, LATE] }));
    expect(error.code).toBe('TLS_INVALID');
    expect(error.message).toContain('certificate for virtual-cpo says DE*OLD, world says DE*VCP');
    // Nothing is written when ensureCerts refuses, not even the new partner's files.
    await expect(stat(path.join(dir, 'partners/late-cpo'))).rejects.toThrow();
    expect((await errorOf(() => loadPartnerTls(dir, VCPO))).message).toContain('says DE*OLD, world says DE*VCP');

    // The message's advice works: delete the pair and rerun reissues it alone under the same CA.
    await unlink(path.join(dir, 'partners/virtual-cpo/client.crt'));
    await unlink(path.join(dir, 'partners/virtual-cpo/client.key'));
    const result = await ensureCerts({ dir, partners: [VCPO] });
    expect(result.created).toEqual(['partners/virtual-cpo/client.crt', 'partners/virtual-cpo/client.key']);
  });

  it('should refuse a certificate signed by another CA', async () => {
    const dir = await tempDir();
    const other = await tempDir();
    await ensureCerts({ dir, partners: [VCPO] });
    await ensureCerts({ dir: other, partners: [VCPO] });
    for (const file of ['client.crt', 'client.key']) {
      await copyFile(path.join(other, 'partners/virtual-cpo', file), path.join(dir, 'partners/virtual-cpo', file));
    }

    const error = await errorOf(() => loadPartnerTls(dir, VCPO));

    expect(error.code).toBe('TLS_INVALID');
    expect(error.message).toMatch(/client\.crt .* is not signed by ca\.crt/);
  });

  it('should refuse to create a new CA beside certificates the old one signed', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [VCPO] });
    await unlink(path.join(dir, 'ca.crt'));
    await unlink(path.join(dir, 'ca.key'));

    const error = await errorOf(() => ensureCerts({ dir, partners: [VCPO] }));

    expect(error.code).toBe('TLS_MISSING');
    expect(error.message).toContain('signed by a CA that is gone');
    expect(error.message).toContain('--force');
    await expect(stat(path.join(dir, 'ca.crt'))).rejects.toThrow();
  });

  it('should report a pair with one file missing, naming both', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [] });
    await unlink(path.join(dir, 'hub/client.key'));

    const error = await errorOf(() => ensureCerts({ dir, partners: [] }));

    expect(error.code).toBe('TLS_MISSING');
    expect(error.message).toMatch(/client\.key is missing but .*client\.crt exists/);
  });

  it('should refuse a file that is not PEM', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [] });
    await writeFile(path.join(dir, 'hub/server.crt'), 'not a certificate\n');

    const error = await errorOf(() => loadHubTls(dir));

    expect(error.code).toBe('TLS_INVALID');
    expect(error.message).toMatch(/server\.crt .* is not a readable PEM certificate/);
  });

  it('should refuse partner keys that cannot name a folder and keys shared by two partners', async () => {
    const dir = await tempDir();
    const traversal = await errorOf(() => ensureCerts({ dir, partners: [{ ...VCPO, key: '../escape' }] }));
    expect(traversal.code).toBe('CONFIG_INVALID');

    const shared = await errorOf(() => ensureCerts({ dir, partners: [VCPO, { ...LATE, key: VCPO.key }] }));
    expect(shared.code).toBe('CONFIG_INVALID');
    expect(shared.message).toContain('share the key "virtual-cpo"');
  });

  it('should generate a world of six partners in well under the budget', async () => {
    const dir = await tempDir();
    const partners = Array.from(
      { length: 6 },
      (_, i): CertSubject => ({
        key: `partner-${i}`,
        id: `DE*P0${i}`,
        role: i % 2 === 0 ? 'CPO' : 'EMP',
        name: `Partner ${i}`,
      }),
    );
    const startedMs = performance.now();

    const result = await ensureCerts({ dir, partners });

    expect(result.created).toHaveLength(HUB_FILES.length + 6 * 4);
    expect(performance.now() - startedMs).toBeLessThan(3000);
  });
});
