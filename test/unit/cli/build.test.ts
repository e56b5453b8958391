import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN_PATH, staleDist } from '../../helpers/built-cli.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hbs-sim-build-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('bin/hbs-sim.js without a build', () => {
  it('exits 2 with one line naming the fix', async () => {
    await mkdir(join(root, 'bin'));
    await copyFile(BIN_PATH, join(root, 'bin', 'hbs-sim.js'));
    const run = spawnSync(process.execPath, [join(root, 'bin', 'hbs-sim.js'), '--version'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'hbs-sim is not built: dist/cli/main.js is missing. Run `npm run build` in this checkout.',
    ]);
  });
});

describe('staleDist, the guard of tests that spawn the built CLI', () => {
  const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
  beforeEach(async () => {
    await mkdir(join(root, 'src', 'cli'), { recursive: true });
    await writeFile(join(root, 'src', 'cli', 'main.ts'), '');
    await utimes(join(root, 'src', 'cli', 'main.ts'), at(10), at(10));
  });

  it('names a source file with no compiled counterpart', () => {
    expect(staleDist(root)).toBe('dist has no dist/cli/main.js: run npm run build');
  });

  it('names a source file newer than its compiled counterpart, and passes once dist/ is rebuilt', async () => {
    await mkdir(join(root, 'dist', 'cli'), { recursive: true });
    await writeFile(join(root, 'dist', 'cli', 'main.js'), '');
    await utimes(join(root, 'dist', 'cli', 'main.js'), at(5), at(5));
    expect(staleDist(root)).toBe('dist is older than src/cli/main.ts: run npm run build');
    await utimes(join(root, 'dist', 'cli', 'main.js'), at(20), at(20));
    expect(staleDist(root)).toBeUndefined();
  });
});
