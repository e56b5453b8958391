import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/**
 * bin/hbs-sim.js runs the compiled dist/, not src/: a test that spawns it after a source edit without a rebuild
 * would test the old code and pass or fail for the wrong reason. builtBin() checks, once per test file, that every
 * src/ file has a compiled counterpart at least as new (one stat per file, a few milliseconds), and fails naming
 * the first stale file and the fix.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const BIN_PATH = join(ROOT, 'bin', 'hbs-sim.js');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The first problem with dist/ as a message naming the fix, or undefined when dist/ is as new as src/. */
export function staleDist(root: string = ROOT): string | undefined {
  const src = join(root, 'src');
  for (const file of sources(src)) {
    const compiled = join(root, 'dist', relative(src, file)).replace(/\.ts$/, '.js');
    if (!existsSync(compiled)) return `dist has no ${relative(root, compiled)}: run npm run build`;
    if (statSync(compiled).mtimeMs < statSync(file).mtimeMs) {
      return `dist is older than ${relative(root, file)}: run npm run build`;
    }
  }
  return undefined;
}

/**
 * For a bench run by hand (`node bin/run-ts.js test/bench/<mode>.ts`), which times the built dist/: stops with the
 * fix named, and no stack, when dist/ is not built from the current src/. `npm run bench` builds first.
 */
export function exitIfStaleDist(): void {
  const problem = staleDist();
  if (!problem) return;
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}

let checked = false;

/** bin/hbs-sim.js, once dist/ is known to be built from the current src/; throws otherwise. */
export function builtBin(): string {
  if (!checked) {
    const problem = staleDist();
    if (problem) throw new Error(problem);
    checked = true;
  }
  return BIN_PATH;
}

/** A spawned `hbs-sim`, its output so far and its exit. */
export interface RunningCli {
  child: ChildProcessByStdio<null, Readable, Readable>;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

/**
 * Spawns the built CLI as CI would (CI=true, no stdin) and adds it to `children` until it exits, so the test's
 * afterEach/afterAll can stop whatever is still running.
 */
export function startCli(args: string[], cwd: string, children: Set<RunningCli['child']>): RunningCli {
  const child = spawn(process.execPath, [builtBin(), ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, out: () => out, err: () => err, exited };
}

/** Runs the built CLI to its end as CI would (CI=true, no stdin) and hands back its exit code and output. */
export async function runCli(args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [builtBin(), ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, out, err };
}
