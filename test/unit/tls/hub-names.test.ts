import { X509Certificate } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorld } from '../../../src/config/world/load.js';
import { applyHubOverrides, hubCertificateNames, hubSettingsFromEnv } from '../../../src/config/world/settings.js';
import { packagePath } from '../../../src/shared/paths.js';
import { type CertSubject, ensureCerts } from '../../../src/tls/certs.js';
import { loadHubTls } from '../../../src/tls/load.js';

/** `--hub-name` / hub.serverNames end up in the hub's server certificate; a certificate lacking one is reissued. */

const VCPO: CertSubject = { key: 'virtual-cpo', id: 'DE*VCP', role: 'CPO', name: 'Virtual CPO' };
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hbs-sim-hub-names-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const read = (dir: string, file: string): Promise<string> => readFile(path.join(dir, file), 'utf8');
const x509 = async (dir: string, file: string): Promise<X509Certificate> => new X509Certificate(await read(dir, file));

/** A logger whose lines are kept, to check what was said and why. */
function recordingLogger(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => lines.push(s) });
  return { logger, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("the hub's server certificate and extra names", () => {
  it('carries each extra name as a DNS or an IP entry by its form, besides the loopback ones', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [VCPO], hubNames: ['hbs', 'ci.example.com', '192.0.2.10', 'fd00::2'] });
    const cert = await x509(dir, 'hub/server.crt');
    expect(cert.subjectAltName?.split(', ')).toEqual([
      'DNS:localhost',
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
      'DNS:hbs',
      'DNS:ci.example.com',
      'IP Address:192.0.2.10',
      'IP Address:FD00:0:0:0:0:0:0:2',
    ]);
    // As a TLS client checks it: names as names, addresses as addresses.
    expect(cert.checkHost('hbs', { subject: 'never' })).toBe('hbs');
    expect(cert.checkIP('192.0.2.10')).toBe('192.0.2.10');
    expect(cert.checkHost('192.0.2.10', { subject: 'never' })).toBeUndefined();
    // Partner server certificates keep the loopback names only.
    expect((await x509(dir, 'partners/virtual-cpo/server.crt')).checkHost('hbs', { subject: 'never' })).toBeUndefined();
  });

  it('reissues an existing certificate that lacks a requested name, under the same CA, and says why', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [VCPO] });
    const caBefore = await read(dir, 'ca.crt');
    const clientBefore = await read(dir, 'partners/virtual-cpo/client.crt');
    const serverBefore = await read(dir, 'hub/server.crt');
    expect((await x509(dir, 'hub/server.crt')).checkHost('hbs', { subject: 'never' })).toBeUndefined();

    const { logger, lines } = recordingLogger();
    const result = await ensureCerts({ dir, partners: [VCPO], hubNames: ['hbs', '192.0.2.10'], logger });
    expect(result.created).toEqual(['hub/server.crt', 'hub/server.key']);
    expect(await read(dir, 'ca.crt')).toBe(caBefore);
    expect(await read(dir, 'partners/virtual-cpo/client.crt')).toBe(clientBefore);
    const server = await x509(dir, 'hub/server.crt');
    expect(await read(dir, 'hub/server.crt')).not.toBe(serverBefore);
    expect(server.checkHost('hbs', { subject: 'never' })).toBe('hbs');
    expect(server.checkIP('192.0.2.10')).toBe('192.0.2.10');
    // Signed by the CA that was there: partners trusting it trust the new certificate unchanged.
    expect(server.verify(new X509Certificate(caBefore).publicKey)).toBe(true);
    expect(() => loadHubTls(dir)).not.toThrow();
    const why = lines().find((l) => String(l.msg).includes('reissuing'));
    expect(why).toMatchObject({ level: 40, missing: ['hbs', '192.0.2.10'] });
    expect(String(why?.msg)).toContain("the hub's server certificate under the existing CA: it does not name hbs");
  });

  it('keeps a certificate that already names every requested name (or more)', async () => {
    const dir = await tempDir();
    await ensureCerts({ dir, partners: [VCPO], hubNames: ['hbs', '192.0.2.10', '2001:db8::1'] });
    const before = await read(dir, 'hub/server.crt');
    const { logger, lines } = recordingLogger();
    // A subset of the names, an IPv6 address in another spelling: nothing to reissue.
    const result = await ensureCerts({ dir, partners: [VCPO], hubNames: ['192.0.2.10', '2001:0db8:0::1'], logger });
    expect(result.created).toEqual([]);
    expect(await read(dir, 'hub/server.crt')).toBe(before);
    expect(lines().some((l) => String(l.msg).includes('reissuing'))).toBe(false);
    expect((await ensureCerts({ dir, partners: [VCPO], hubNames: ['localhost', '::1'] })).created).toEqual([]);
  });
});

describe('hubCertificateNames', () => {
  it('is the configured names plus a specific listen host, never a wildcard or a name the certificate always has', () => {
    expect(hubCertificateNames({ host: '0.0.0.0', serverNames: ['hbs', 'HBS.Example.', '192.0.2.10'] })).toEqual([
      'hbs',
      'hbs.example',
      '192.0.2.10',
    ]);
    expect(hubCertificateNames({ host: '::' })).toEqual([]);
    expect(hubCertificateNames({ host: '127.0.0.1' })).toEqual([]);
    expect(hubCertificateNames({ host: '192.0.2.2', serverNames: ['hbs'] })).toEqual(['hbs', '192.0.2.2']);
    expect(hubCertificateNames({ host: '127.0.0.2' })).toEqual(['127.0.0.2']);
  });
});

describe('hub.serverNames in world.yaml', () => {
  it('is read from world.yaml, replaced by OICP_SIM_HUB_NAMES, and that by --hub-name', async () => {
    const dir = await tempDir();
    await cp(packagePath('simulator'), dir, { recursive: true });
    const file = path.join(dir, 'world.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        '  certsDir: certs',
        '  serverNames: [hbs, 192.0.2.10]\n  certsDir: certs',
      ),
    );
    const world = await loadWorld({ dir });
    expect(world.hub.serverNames).toEqual(['hbs', '192.0.2.10']);
    const env = hubSettingsFromEnv({ OICP_SIM_HUB_NAMES: 'ci-hub' });
    expect(applyHubOverrides(world, env).hub.serverNames).toEqual(['ci-hub']);
    expect(applyHubOverrides(world, env, { serverNames: ['flag-hub'] }).hub.serverNames).toEqual(['flag-hub']);
  });

  it('refuses a name that is no host name or address', async () => {
    const world = await loadWorld();
    expect(() => applyHubOverrides(world, { serverNames: ['bad..name'] })).toThrow(/invalid hub settings/);
  });
});
