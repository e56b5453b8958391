import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { freePort as freePortOn } from '../../src/app/reference-run.js';
import { builtBin } from './built-cli.js';

/**
 * The package as another project gets it: `npm pack` of this clone, installed into an empty project from the npm
 * cache (`--offline`: `npm ci` on this clone already put every dependency there, and tests must not reach a
 * registry), and processes run there as a user's shell would. Each process gets its own process group: `npx` (npm
 * exec) does not pass SIGTERM on to the command it runs, so a stop signals the group, the CLI included.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Done {
  code: number | null;
  out: string;
  err: string;
}
export type Child = ChildProcessByStdio<null, Readable, Readable>;

const children = new Set<Child>();

/** What a CI job sees: CI=true, and npm kept off the network. */
export function ciEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CI: 'true',
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ...extra,
  };
}

export function launch(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = ciEnv(),
): { child: Child; out: () => string; done: Promise<Done> } {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
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

export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  try {
    if (pid !== undefined) process.kill(-pid, signal);
  } catch {
    // the group has already exited
  }
}

/** Runs to the end, or kills the process group after `ms`. */
export async function exec(
  command: string,
  args: string[],
  cwd: string,
  ms: number,
  env: NodeJS.ProcessEnv = ciEnv(),
): Promise<Done> {
  const run = launch(command, args, cwd, env);
  const timer = setTimeout(() => signalGroup(run.child.pid, 'SIGKILL'), ms);
  try {
    return await run.done;
  } finally {
    clearTimeout(timer);
  }
}

/** Kills every process group still running (afterAll). */
export function killAll(): void {
  for (const child of children) signalGroup(child.pid, 'SIGKILL');
}

/** A port free on loopback now (a later listen may still lose a race for it). */
export const freePort = (): Promise<number> => freePortOn('127.0.0.1');

export const shown = (r: Done): string => `exit ${r.code}\nstdout:\n${r.out}\nstderr:\n${r.err}`;

/** Packs the clone into `dir`; the tarball's path and the files it holds. */
export async function packTarball(dir: string, ms: number): Promise<{ tarball: string; files: string[] }> {
  builtBin(); // the tarball packs dist/ as it is: it must be built from the current src/
  // --ignore-scripts: `prepare` would rebuild dist/ (deleting it first) under the other test files running now.
  const pack = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT, ms);
  if (pack.code !== 0) throw new Error(`npm pack failed\n${shown(pack)}`);
  const [{ filename, files }] = JSON.parse(pack.out) as [{ filename: string; files: { path: string }[] }];
  return { tarball: join(dir, filename), files: files.map((f) => f.path) };
}

/**
 * An empty project with the clone's production dependency tree as its lockfile. `npm ci` left the npm cache holding
 * each package's tarball (by integrity) but not the registry's metadata, which npm needs to resolve a version range
 * (`--offline` then fails with ENOTCACHED). With the tree pinned, `npm install --offline <tarball>` installs from the
 * cache alone, as a CI job with a committed lockfile does.
 */
/**
 * The registry URL of a locked package's tarball. This project's lockfile carries no `resolved` URLs; without one
 * npm asks the registry's metadata for the package even with its tarball cached (by integrity), so a dependency
 * whose metadata this machine never fetched (one that was already in node_modules when it was added) failed
 * `--offline` with ENOTCACHED. With the URL the tarball comes from the cache by its integrity.
 */
function registryTarball(path: string, entry: { version?: string; resolved?: string }): string | undefined {
  if (entry.resolved || !entry.version) return entry.resolved;
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  return `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
}

export async function emptyProject(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; version?: string; resolved?: string }>;
  };
  const packages: Record<string, unknown> = { '': { name: 'a-backend' } };
  for (const [path, entry] of Object.entries(lock.packages))
    if (path !== '' && entry.dev !== true) packages[path] = { resolved: registryTarball(path, entry), ...entry };
  const lockfile = { name: 'a-backend', lockfileVersion: 3, requires: true, packages };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'a-backend', private: true }, null, 2)}\n`);
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
  return dir;
}
