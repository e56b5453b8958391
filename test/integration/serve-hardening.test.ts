import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin } from '../helpers/built-cli.js';
import { post } from '../helpers/http.js';

/**
 * `hbs-sim serve` run the ways a user runs it: on every interface (the virtual actors still reach the hub, and the
 * banner says the hub is exposed), stopped with SIGTERM while a forward waits on a slow EMP (ends at once, the
 * forward recorded as cancelled).
 */
const BIN = builtBin();
let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-serve-hard-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

interface Served {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 40_000;
  while (!out.includes('Press Ctrl-C') && !done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return { child, out: () => out, err: () => err, exited };
}

const control = (out: string): string => out.match(/Control them at (https:\/\/\S+\/_sim)/)![1]!;

describe('serve --host on every interface', () => {
  for (const host of ['0.0.0.0', '::']) {
    it(`--host ${host}: the virtual actors start (they call the hub over loopback) and the banner warns of the exposure`, async () => {
      const s = await serve(['--host', host, '--time-scale', '0.01']);
      try {
        expect(s.err()).not.toContain('SIM_START');
        expect(s.out()).toContain('Virtual CPO DE*VCP (virtual-cpo)');
        expect(s.out()).toMatch(/WARNING: listening on every network interface .*--host 127\.0\.0\.1/);
        const ca = await readFile(join(cwd, 'certs', 'ca.crt'), 'utf8');
        const sim = control(s.out());
        expect(new URL(sim).hostname).toBe(host === '::' ? '[::1]' : '127.0.0.1');
        const start = await post(`${sim}/emps/virtual-emp/remote-start`, { evseId: 'DE*VCP*E0001*1' }, { ca });
        expect(start.json).toMatchObject({ ok: true, body: { Result: true } });
      } finally {
        s.child.kill('SIGINT');
        expect(await s.exited).toBe(0);
      }
    }, 60_000);
  }

  it('--host 127.0.0.2, an address the default certificate does not name: it is added, the actors start, the printed URL verifies', async () => {
    const s = await serve(['--host', '127.0.0.2', '--time-scale', '0.01']);
    try {
      expect(s.err()).not.toContain('SIM_START');
      expect(s.out()).toContain('Virtual CPO DE*VCP (virtual-cpo): DE*VCP*E0001*1 Available');
      expect(s.out()).not.toContain('WARNING');
      const ca = await readFile(join(cwd, 'certs', 'ca.crt'), 'utf8');
      // Node checks the certificate against the URL's address: it must carry 127.0.0.2 itself.
      const stations = await post(`${control(s.out())}/stations`, undefined, { ca, method: 'GET', contentType: null });
      expect(new URL(control(s.out())).hostname).toBe('127.0.0.2');
      expect(stations.status).toBe(200);
    } finally {
      s.child.kill('SIGINT');
      expect(await s.exited).toBe(0);
    }
  }, 60_000);

  it('on loopback there is no warning', async () => {
    const s = await serve(['--no-virtual']);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.out()).toContain('HBS simulator listening');
    expect(s.out()).not.toContain('WARNING');
  }, 60_000);
});

describe('serve stopped while a forward waits on a slow EMP', () => {
  it('SIGTERM ends it within 2 s; the pending forward is recorded as cancelled', async () => {
    const transcript = join(cwd, 'transcript.jsonl');
    // Forward deadline 30 s (real); the EMP answers notifications after 60 s.
    const s = await serve(['--time-scale', '0.01', '--forward-timeout-ms', '3000000', '--transcript', transcript]);
    const ca = await readFile(join(cwd, 'certs', 'ca.crt'), 'utf8');
    const sim = control(s.out());
    const fault = await post(
      `${sim}/faults`,
      { kind: 'delay', actor: 'virtual-emp', operation: 'ChargingNotification', delayMs: 6_000_000, times: 0 },
      { ca },
    );
    expect(fault.status).toBe(200);
    const start = await post(`${sim}/emps/virtual-emp/remote-start`, { evseId: 'DE*VCP*E0001*1' }, { ca });
    expect(start.json).toMatchObject({ ok: true, body: { Result: true } });
    // The car plugs in 50 ms later, the Start notification goes to the EMP and waits there.
    await new Promise((r) => setTimeout(r, 1000));
    const stopped = performance.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(performance.now() - stopped).toBeLessThan(2000);
    const lines = (await readFile(transcript, 'utf8'))
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { operation: string; direction: string; transportError?: { code: string; message: string } },
      );
    const forwarded = lines.filter((l) => l.operation === 'ChargingNotification' && l.direction === 'hub→partner');
    expect(forwarded.length).toBeGreaterThan(0);
    expect(forwarded[0]!.transportError).toMatchObject({
      code: 'aborted',
      message: expect.stringContaining('cancelled'),
    });
  }, 60_000);
});
