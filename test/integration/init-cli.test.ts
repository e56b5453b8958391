import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/harness/scenario/profile.js';
import { builtBin } from '../helpers/built-cli.js';

/** `hbs-sim init cpo|emp` as a new user runs it: a profile that loads, never written over a file without --force. */

const BIN = builtBin();
let cwd: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'hbs-sim-init-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('hbs-sim init', () => {
  it('writes partner-emp.yaml, which loads, and says how to try it', async () => {
    const r = await cli('init', 'emp');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('npx hbs-sim reference emp --port 9443 --test-port 9543');
    expect(r.stdout).toContain('npx hbs-sim certs --partner partner-emp.yaml');
    const profile = await loadProfile(path.join(cwd, 'partner-emp.yaml'));
    expect(profile.partner.role).toBe('EMP');
  }, 30_000);

  it('refuses to overwrite a file without --force (exit 2, the file untouched), and overwrites it with', async () => {
    const file = path.join(cwd, 'mine.yaml');
    await writeFile(file, 'my own work\n');
    const refused = await cli('init', 'cpo', '--out', 'mine.yaml');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('mine.yaml exists; give --force to overwrite it');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(file, 'utf8')).toBe('my own work\n');
    const forced = await cli('init', 'cpo', '--out', 'mine.yaml', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect((await loadProfile(file)).partner.role).toBe('CPO');
  }, 30_000);

  it('asks for the role when it is missing or unknown', async () => {
    const r = await cli('init', 'cso');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('say which role: `hbs-sim init cpo` or `hbs-sim init emp`');
  }, 30_000);
});
