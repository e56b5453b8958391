import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldWithPartner } from '../../src/app/certify.js';
import { underTestCertPaths } from '../../src/app/partner-certs.js';
import { loadWorld } from '../../src/config/world/load.js';
import { loadProfile, underTestKey } from '../../src/harness/scenario/profile.js';
import { certificateIdentity, loadPartnerTls } from '../../src/tls/load.js';
import { builtBin } from '../helpers/built-cli.js';

/**
 * `hbs-sim certs --partner`: a backend in CI needs its certificates before the run. They must be exactly the files
 * `hbs-sim run --partner` then uses (and keeps), named by one function for both commands.
 */

const BIN = builtBin();
let cwd: string;
let profilePath: string;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, CI: 'true', ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'hbs-sim-certs-partner-'));
  profilePath = path.join(cwd, 'partner.yaml');
  await writeFile(
    profilePath,
    [
      'version: 1',
      'id: DE*JDG',
      'role: CPO',
      'name: JDG Charging',
      'serviceTypes:',
      '  authorization: { onlineRequest: true, serviceUrl: "https://127.0.0.1:9/oicp" }',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('hbs-sim certs --partner', () => {
  it('writes the client and server certificates run uses for the partner, saying what each is for; run keeps them', async () => {
    const r = await cli(['certs', '--partner', 'partner.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const profile = await loadProfile(profilePath);
    const paths = underTestCertPaths(worldWithPartner(await loadWorld(), profile), profile, cwd);
    const rel = (f: string) => path.relative(cwd, f);
    expect(rel(paths.partnerClient.cert)).toBe('certs/partners/under-test-dejdg/client.crt');
    for (const f of [paths.partnerClient, paths.partnerServer]) {
      expect(r.stdout).toContain(rel(f.cert));
      expect(r.stdout).toContain(rel(f.key));
    }
    expect(r.stdout).toMatch(
      /client certificate .*\n.*\n\s+what your backend presents when it calls HBS \(CN = DE\*JDG/,
    );
    expect(r.stdout).toMatch(/server certificate .*\n.*\n\s+what your OICP endpoint presents when HBS calls it/);
    expect(r.stdout).toMatch(/CA\s+certs\/ca\.crt\n\s+what your backend trusts: it signed HBS's server certificate/);
    const tls = loadPartnerTls(path.join(cwd, 'certs'), profile.partner);
    expect(certificateIdentity(new X509Certificate(tls.client.cert).toLegacyObject())).toBe('DE*JDG');

    // The run finds them in place: same bytes, same modification time, and it names the same files.
    const before = await readFile(paths.partnerClient.cert, 'utf8');
    const mtime = (await stat(paths.partnerServer.key)).mtimeMs;
    const scenario = path.join(cwd, 'wait.yaml');
    await writeFile(
      scenario,
      'version: 1\nid: CPO-99\ntitle: T\nrole: CPO\nsection: general\nmandatory: true\nspec: S\nsteps:\n  - wait: 10\n',
    );
    // No backend listens: the preflight's probes would stop the run before it names its certificate files.
    const run = await cli([
      'run',
      scenario,
      '--partner',
      'partner.yaml',
      '--port',
      '0',
      '--time-scale',
      '0.01',
      '--no-preflight',
    ]);
    // A wait alone checks nothing, so the item is an error (exit 3); what matters here is that the run started.
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain(`with ${paths.partnerClient.cert} (key ${paths.partnerClient.key}`);
    expect(await readFile(paths.partnerClient.cert, 'utf8')).toBe(before);
    expect((await stat(paths.partnerServer.key)).mtimeMs).toBe(mtime);
  }, 60_000);

  it('writes client.p12 and server.p12 with the passphrase from the environment', async () => {
    const r = await cli(['certs', '--partner', 'partner.yaml'], { HBS_SIM_P12_PASSPHRASE: 'ci secret' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('certs/partners/under-test-dejdg/client.p12  (alias "client"');
    expect(r.stdout).toContain('certs/partners/under-test-dejdg/server.p12  (alias "server"');
    expect((await stat(path.join(cwd, 'certs/partners/under-test-dejdg/client.p12'))).mode & 0o777).toBe(0o600);
  }, 30_000);

  it('refuses an empty passphrase, and one without --partner, with exit 2 and no stack trace', async () => {
    const empty = await cli(['certs', '--partner', 'partner.yaml', '--p12-passphrase', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--p12-passphrase is empty');
    const emptyEnv = await cli(['certs', '--partner', 'partner.yaml'], { HBS_SIM_P12_PASSPHRASE: '' });
    expect(emptyEnv.code).toBe(2);
    expect(emptyEnv.stderr).toContain('HBS_SIM_P12_PASSPHRASE is empty');
    const alone = await cli(['certs', '--p12-passphrase', 'x y z']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--p12-passphrase needs --partner');
    for (const r of [empty, emptyEnv, alone]) expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it("names the partner under test with a key a world accepts (a world file once failed: 'under-test-DEJDG is not a valid key')", async () => {
    const world = path.join(cwd, 'world');
    await mkdir(path.join(world, 'partners'), { recursive: true });
    await writeFile(path.join(world, 'world.yaml'), 'version: 1\n');
    await writeFile(
      path.join(world, 'partners', `${underTestKey('DE*JDG')}.yaml`),
      'version: 1\nid: "DE*JDG"\nrole: CPO\nname: JDG\n',
    );
    const loaded = await loadWorld({ dir: world });
    expect(loaded.partners.map((p) => p.key)).toEqual(['under-test-dejdg']);
  });
});
