import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin } from '../helpers/built-cli.js';

/**
 * The package as another project gets it (issue 14): `npm pack`, install the tarball into an empty project from the
 * npm cache (`--offline`: `npm ci` on this clone already put every dependency there, and the test must not reach
 * a registry), then `npx hbs-sim` from that project only. The reference CPO, started with `npx hbs-sim reference
 * cpo`, is the backend under test. Sized for a loaded 2-core machine: packing, installing and two catalogue runs.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TIME_SCALE = '0.02';
const STEP_MS = 240_000;

interface Done {
  code: number | null;
  out: string;
  err: string;
}
type Child = ChildProcessByStdio<null, Readable, Readable>;

const children = new Set<Child>();
let work: string;
let project: string;

function launch(
  command: string,
  args: string[],
  cwd: string,
): { child: Child; out: () => string; done: Promise<Done> } {
  const child = spawn(command, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: `npx` (npm exec) does not pass SIGTERM on to the command it runs, so a stop signals the
    // group, the CLI included.
    detached: true,
    env: {
      ...process.env,
      CI: 'true',
      npm_config_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    },
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<Done>((resolve) =>
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, out, err });
    }),
  );
  return { child, out: () => out, done };
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // the group has already exited
  }
}

async function exec(command: string, args: string[], cwd: string): Promise<Done> {
  const run = launch(command, args, cwd);
  const timer = setTimeout(() => signalGroup(run.child, 'SIGKILL'), STEP_MS);
  try {
    return await run.done;
  } finally {
    clearTimeout(timer);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The empty project's lockfile: the clone's production dependency tree, as package-lock.json pins it. `npm ci` left
 * the npm cache holding each package's tarball (by integrity) but not the registry's metadata, which npm needs to
 * resolve a version range (`--offline` then fails with ENOTCACHED). With the tree pinned, `npm install --offline
 * <tarball>` installs from the cache alone, as a CI job with a committed lockfile does.
 */
async function productionLock(): Promise<string> {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const packages: Record<string, unknown> = { '': { name: 'a-backend' } };
  for (const [path, entry] of Object.entries(lock.packages))
    if (path !== '' && entry.dev !== true) packages[path] = entry;
  return `${JSON.stringify({ name: 'a-backend', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

const shown = (r: Done): string => `exit ${r.code}\nstdout:\n${r.out}\nstderr:\n${r.err}`;

beforeAll(async () => {
  builtBin(); // the tarball packs dist/ as it is: it must be built from the current src/
  work = await realpath(await mkdtemp(join(tmpdir(), 'hbs-sim-install-')));
  // --ignore-scripts: `prepare` would rebuild dist/ (deleting it first) under the other test files running now.
  const pack = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  expect(pack.code, shown(pack)).toBe(0);
  const [{ filename, files }] = JSON.parse(pack.out) as [{ filename: string; files: { path: string }[] }];
  const leaked = files.map((f) => f.path).filter((p) => /^(test|certs|reports|node_modules)\//.test(p));
  expect(leaked, 'files the package must not ship').toEqual([]);
  project = join(work, 'project');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'a-backend', private: true }, null, 2)}\n`);
  await writeFile(join(project, 'package-lock.json'), await productionLock());
  const install = await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, filename)], project);
  expect(install.code, shown(install)).toBe(0);
  expect(JSON.parse(await readFile(join(project, 'package.json'), 'utf8'))).toMatchObject({
    dependencies: { 'hbs-simulator': expect.stringMatching(/^file:/) },
  });
}, STEP_MS * 2);

afterAll(async () => {
  for (const child of children) signalGroup(child, 'SIGKILL');
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed tarball installed into an empty project', () => {
  it(
    'npx hbs-sim --version prints the package version from the installed copy, not the clone',
    async () => {
      const installed = join(project, 'node_modules', 'hbs-simulator');
      expect(await readdir(installed)).toEqual(expect.arrayContaining(['bin', 'dist', 'scenarios', 'simulator']));
      // Only the compiled code: no TypeScript source reaches the installed copy (src/ holds the report schema only).
      const shipped = await readdir(installed, { recursive: true });
      expect(shipped.filter((f) => f.endsWith('.ts'))).toEqual([]);
      const version = await exec('npx', ['hbs-sim', '--version'], project);
      expect(version.code, shown(version)).toBe(0);
      const { version: packed } = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
        version: string;
      };
      expect(version.out.trim()).toBe(packed);
    },
    STEP_MS,
  );

  it(
    'npx hbs-sim demo --role cpo runs the CPO catalogue against the reference CPO and passes',
    async () => {
      const demo = await exec(
        'npx',
        ['hbs-sim', 'demo', '--role', 'cpo', '--out', 'demo', '--time-scale', TIME_SCALE],
        project,
      );
      expect(demo.code, shown(demo)).toBe(0);
      const report = JSON.parse(
        await readFile(join(project, 'demo', 'cpo', 'report.json'), 'utf8').catch(async () => {
          throw new Error(
            `no demo/cpo/report.json; demo wrote ${await readdir(join(project, 'demo'))}\n${shown(demo)}`,
          );
        }),
      ) as { summary: { verdict: string } };
      expect(report.summary.verdict).toBe('passed');
    },
    STEP_MS,
  );

  it(
    'npx hbs-sim run certifies the reference CPO started with npx hbs-sim reference cpo, from its profile',
    async () => {
      const port = await freePort(); // the hub `run` starts: the reference CPO calls it there
      const reference = launch(
        'npx',
        [
          '--no',
          'hbs-sim',
          'reference',
          'cpo',
          '--hub',
          `https://127.0.0.1:${port}/api/oicp`,
          '--time-scale',
          TIME_SCALE,
          '--profile-out',
          'ref-cpo.yaml',
        ],
        project,
      );
      const deadline = Date.now() + STEP_MS;
      while (!/Partner profile: .+/.test(reference.out()) && Date.now() < deadline && reference.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      expect(reference.out()).toMatch(/Partner profile: .+/);
      const run = await exec(
        'npx',
        [
          '--no',
          'hbs-sim',
          'run',
          '--partner',
          'ref-cpo.yaml',
          '--port',
          String(port),
          '--time-scale',
          TIME_SCALE,
          '--out',
          'run',
        ],
        project,
      );
      signalGroup(reference.child, 'SIGTERM');
      const stopped = await reference.done;
      expect(run.code, `${shown(run)}\nreference:\n${shown(stopped)}`).toBe(0);
      const report = JSON.parse(await readFile(join(project, 'run', 'report.json'), 'utf8')) as {
        summary: { verdict: string };
        items: { id: string }[];
      };
      expect(report.summary.verdict).toBe('passed');
      expect(report.items.map((i) => i.id)).toContain('CPO-07');
      expect(report.items.length).toBeGreaterThan(10);
    },
    STEP_MS,
  );
});
