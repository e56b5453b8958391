import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirs } from '../../../src/shared/fs.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hbs-sim-fs-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('makeDirs', () => {
  it('creates the missing levels and accepts a folder that exists', async () => {
    makeDirs(join(dir, 'a', 'b', 'c'));
    expect((await stat(join(dir, 'a', 'b', 'c'))).isDirectory()).toBe(true);
    expect(() => makeDirs(join(dir, 'a', 'b'))).not.toThrow();
  });

  it('refuses a path through a file with ENOTDIR', async () => {
    await writeFile(join(dir, 'file'), '');
    expect(() => makeDirs(join(dir, 'file', 'x'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('fails at once under /proc, where a recursive mkdir never returns', () => {
    expect(() => makeDirs('/proc/hbs-sim-no-such/x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
