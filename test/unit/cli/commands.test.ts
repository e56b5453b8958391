import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { builtBin } from '../../helpers/built-cli.js';

describe('the command table', () => {
  it('lists each command with its own name and summary, loaded on demand', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({ name: entry.name, summary: entry.summary });
    }
  });
});

describe('start-up of the built CLI', () => {
  let dir: string;
  let hook: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-sim-startup-'));
    // Every CommonJS module the process loaded, printed as it exits: express, ajv, pino, yaml and selfsigned are all
    // CommonJS, so this sees them however they were imported.
    hook = join(dir, 'loaded.cjs');
    await writeFile(
      hook,
      "process.on('exit', () => process.stderr.write(Object.keys(require('node:module')._cache).join('\\n')));\n",
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const loadedPackages = (args: string[]): { stdout: string; packages: string[] } => {
    const run = spawnSync(process.execPath, ['--require', hook, builtBin(), ...args], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const packages = run.stderr
      .split('\n')
      .map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1])
      .filter((name): name is string => name !== undefined);
    return { stdout: run.stdout, packages: [...new Set(packages)] };
  };

  it('--version and --help load no dependency (express, ajv, pino, yaml, selfsigned stay unread)', () => {
    const version = loadedPackages(['--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(version.packages).toEqual([]);
    const help = loadedPackages(['--help']);
    expect(help.stdout).toContain('Usage: hbs-sim <command>');
    expect(help.packages).toEqual([]);
  });

  it('a command loads its module when it runs: `validate` reads yaml and ajv, not express', () => {
    const { packages } = loadedPackages(['validate']);
    expect(packages).toEqual(expect.arrayContaining(['yaml', 'ajv']));
    expect(packages).not.toContain('express');
  });
});
