import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/app/reference-run.js';
import { builtBin } from '../helpers/built-cli.js';

/**
 * `hbs-sim demo` with the hub flags: on every interface the reference partner calls the hub over loopback (before,
 * it called https://0.0.0.0:…, which no certificate names, and every item failed), and --port fixes the hub's port.
 */
const BIN = builtBin();

describe('hbs-sim demo --host 0.0.0.0 --port <n>', () => {
  it('passes against the reference CPO with the hub on the given port of every interface', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-demo-flags-'));
    try {
      const port = await freePort('0.0.0.0');
      const child = spawn(
        process.execPath,
        [BIN, 'demo', '--role', 'cpo', '--grep', 'CPO-01', '--host', '0.0.0.0', '--port', String(port), '--out', 'd'],
        { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      expect(code, `${out}\n${err}`).toBe(0);
      const report = JSON.parse(await readFile(join(cwd, 'd', 'cpo', 'report.json'), 'utf8'));
      expect(report.settings.hubUrl).toBe(`https://0.0.0.0:${port}/api/oicp`);
      expect(report.summary.verdict).toBe('passed');
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }, 90_000);
});
