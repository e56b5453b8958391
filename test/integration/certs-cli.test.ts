import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../../src/config/world/load.js';
import type { World } from '../../src/config/world/types.js';
import { loadHubTls, loadPartnerTls } from '../../src/tls/load.js';
import { builtBin } from '../helpers/built-cli.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HUB_FILES = ['ca.crt', 'ca.key', 'hub/server.crt', 'hub/server.key', 'hub/client.crt', 'hub/client.key'];

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would, from the repository root. */
function cli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [builtBin(), ...args], { cwd: REPO_ROOT }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

function expectedFiles(world: World): string[] {
  return [
    ...HUB_FILES,
    ...world.partners.flatMap((p) =>
      ['client.crt', 'client.key', 'server.crt', 'server.key'].map((f) => `partners/${p.key}/${f}`),
    ),
  ];
}

describe('hbs-sim certs', () => {
  let tmp: string;
  /** A one-partner world of our own, so these tests do not depend on what the embedded world holds. */
  let worldDir: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'hbs-sim-certs-cli-'));
    worldDir = path.join(tmp, 'world');
    await mkdir(path.join(worldDir, 'partners'), { recursive: true });
    await writeFile(path.join(worldDir, 'world.yaml'), 'version: 1\n');
    await writeFile(
      path.join(worldDir, 'partners', 'test-cpo.yaml'),
      'version: 1\nid: "DE*TST"\nrole: CPO\nname: Test CPO\n',
    );
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  describe('with the embedded world', () => {
    let world: World;

    beforeAll(async () => {
      world = await loadWorld();
    });

    it('should create the material of the embedded world, exit 0 and print the curl paths', async () => {
      const dir = path.join(tmp, 'embedded');

      const run = await cli('certs', '--dir', dir);

      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      for (const file of expectedFiles(world)) expect(existsSync(path.join(dir, file)), file).toBe(true);
      expect(run.stdout).toContain(`${expectedFiles(world).length} files created, 0 kept`);
      expect(run.stdout).toContain(`--cacert ${path.join(dir, 'ca.crt')}`);
      expect(() => loadHubTls(dir)).not.toThrow();
      for (const partner of world.partners) expect(() => loadPartnerTls(dir, partner)).not.toThrow();
    });

    it('should keep everything on a second run and regenerate everything with --force', async () => {
      const dir = path.join(tmp, 'embedded');
      const count = expectedFiles(world).length;

      const again = await cli('certs', '--dir', dir);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`0 files created, ${count} kept`);

      const forced = await cli('certs', '--dir', dir, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain(`${count} files created, 0 kept`);
    });
  });

  it('should issue certificates for the partners of the world given with --world', async () => {
    const dir = path.join(tmp, 'custom');

    const run = await cli('certs', '--world', worldDir, '--dir', dir);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Call the hub as test-cpo (CPO DE*TST)');
    const material = loadPartnerTls(dir, { key: 'test-cpo', id: 'DE*TST', role: 'CPO', name: 'Test CPO' });
    expect(material.client.cert).toContain('BEGIN CERTIFICATE');
  });

  it('should exit 3 with TLS_INVALID and the fix when existing material is broken', async () => {
    const dir = path.join(tmp, 'broken');
    expect((await cli('certs', '--world', worldDir, '--dir', dir)).code).toBe(0);
    await writeFile(path.join(dir, 'hub', 'server.crt'), 'garbage\n');

    const run = await cli('certs', '--world', worldDir, '--dir', dir);

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^TLS_INVALID: .*server\.crt .* is not a readable PEM certificate/);
    expect(run.stderr).toContain('--force');
  });

  it('should exit 2 with the usage on an unknown flag', async () => {
    const run = await cli('certs', '--colour');

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--colour'");
    expect(run.stderr).toContain('Usage: hbs-sim certs');
  });
});
