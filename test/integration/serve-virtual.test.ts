import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtBin } from '../helpers/built-cli.js';
import { post } from '../helpers/http.js';

const BIN = builtBin();

/** `hbs-sim serve` as a user runs it: the virtual actors come up, /_sim drives them, SIGINT ends it with 0. */
describe('hbs-sim serve with the virtual actors', () => {
  it('prints the actors and a control curl line, answers /_sim, and exits 0 on SIGINT', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-serve-'));
    try {
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--time-scale', '0.01'], {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const deadline = Date.now() + 30_000;
      while (!out.includes('Press Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain('Virtual CPO DE*VCP (virtual-cpo): DE*VCP*E0001*1 Available');
      expect(out).toContain('Virtual EMP DE-VEM (virtual-emp, online): Alice DE-VEM-C00000001-1');
      expect(out).toMatch(/Process monitor: https:\/\/127\.0\.0\.1:\d+\/monitor/);
      const control = out.match(/Control them at (https:\/\/127\.0\.0\.1:\d+\/_sim)/)?.[1];
      expect(control).toBeDefined();
      const ca = await readFile(join(cwd, 'certs', 'ca.crt'), 'utf8');
      const start = await post(`${control}/emps/virtual-emp/remote-start`, { evseId: 'DE*VCP*E0001*1' }, { ca });
      expect(start.json).toMatchObject({ ok: true, body: { Result: true, StatusCode: { Code: '000' } } });
      const monitor = await post(
        `${control!.replace('/_sim', '/monitor')}/api/exchanges?operation=AuthorizeRemoteStart`,
        undefined,
        { ca, method: 'GET', contentType: null },
      );
      expect(monitor.json.items.map((r: { direction: string }) => r.direction).sort()).toEqual([
        'hub→partner',
        'partner→hub',
      ]);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
