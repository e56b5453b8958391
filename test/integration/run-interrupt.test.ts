import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin } from '../helpers/built-cli.js';

/**
 * A CI job's `timeout` sends SIGTERM to `hbs-sim run`. The run must end promptly and say it is incomplete: every
 * selected item in the report (the one under way and those not reached as `error` "interrupted"), verdict error,
 * exit 3 — never a PASSED that a gate lets through. An item past --item-timeout ends the same way, alone.
 */
const BIN = builtBin();
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-interrupt-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

async function scenarios(): Promise<string[]> {
  // Four mandatory items, each waiting 60 s (time scale 1) for a push the partner never sends.
  return Promise.all(
    [1, 2, 3, 4].map(async (n) => {
      const file = join(cwd, `CPO-9${n}.yaml`);
      await writeFile(
        file,
        [
          'version: 1',
          `id: CPO-9${n}`,
          `title: Item ${n}`,
          'role: CPO',
          'section: general',
          'mandatory: true',
          'spec: S',
          'steps:',
          '  - await: PushEvseStatus',
          '    timeoutMs: 60000',
          '',
        ].join('\n'),
      );
      return file;
    }),
  );
}

/** A CPO that never pushes: every item waits until its await times out. */
async function profile(): Promise<string> {
  const partner = join(cwd, 'partner.yaml');
  await writeFile(
    partner,
    [
      'version: 1',
      'id: DE*ACM',
      'role: CPO',
      'name: ACME',
      'serviceTypes:',
      '  authorization: { onlineRequest: true, serviceUrl: "http://127.0.0.1:9/oicp" }',
      'testData:',
      '  evseIds: [DE*ACM*E0001*1]',
      '',
    ].join('\n'),
  );
  return partner;
}

type ItemRow = { id: string; outcome: string; durationMs: number; reason?: { code?: string; message?: string } };

const reportIn = async (dir: string): Promise<{ summary: { verdict: string }; items: ItemRow[] }> =>
  JSON.parse(await readFile(join(cwd, dir, 'report.json'), 'utf8'));

/** Each item as [id, outcome, reason code]. */
const outcomes = (report: { items: ItemRow[] }) => report.items.map((i) => [i.id, i.outcome, i.reason?.code]);

/** Spawns the CLI and sends SIGTERM once its output shows `when`, as a CI job's timeout would. */
async function interrupted(
  args: string[],
  when: string,
): Promise<{ code: number | null; out: string; err: string; signalledAt: number; stoppedInMs: number }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  let out = '';
  let err = '';
  let signalledAt = 0;
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (!signalledAt && out.includes(when)) {
      signalledAt = Date.now();
      child.kill('SIGTERM');
    }
  });
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { code, out, err, signalledAt, stoppedInMs: Date.now() - signalledAt };
}

describe('an interrupted hbs-sim run', () => {
  it('ends the item under way at SIGTERM, reports all four items as error "interrupted" and exits 3', async () => {
    const partner = await profile();
    const files = await scenarios();
    // Once the first item waits.
    const { code, out, err, signalledAt, stoppedInMs } = await interrupted(
      // The profile's Service URL is a dead port these items never call: no preflight.
      ['run', ...files, '--partner', partner, '--port', '0', '--out', 'reports/int', '--no-preflight'],
      'PushEvseStatus from DE*ACM',
    );
    expect(signalledAt, `${out}\n${err}`).toBeGreaterThan(0);
    expect(code, `${out}\n${err}`).toBe(3);
    // Promptly: not after the item's 60 s await (the bound leaves room for a machine under load).
    expect(stoppedInMs).toBeLessThan(30_000);
    const report = await reportIn('reports/int');
    expect(report.summary.verdict).toBe('error');
    expect(outcomes(report)).toEqual([
      ['CPO-91', 'error', 'INTERRUPTED'],
      ['CPO-92', 'error', 'INTERRUPTED'],
      ['CPO-93', 'error', 'INTERRUPTED'],
      ['CPO-94', 'error', 'INTERRUPTED'],
    ]);
    expect(report.items[0]?.reason?.message).toMatch(/^interrupted/);
    const junit = await readFile(join(cwd, 'reports/int/junit.xml'), 'utf8');
    expect(junit).toContain('CPO-94');
    expect(junit).toMatch(/interrupted/);
    const summary = await readFile(join(cwd, 'reports/int/summary.md'), 'utf8');
    expect(summary).toContain('**Verdict: error**');
    expect(summary).toContain('CPO-94');
    expect(out).not.toMatch(/Verdict: PASSED/);
  }, 120_000);

  it('ends an item past --item-timeout as error ITEM_DEADLINE and goes on with the next', async () => {
    const partner = await profile();
    const files = (await scenarios()).slice(0, 2);
    const child = spawn(
      process.execPath,
      [
        BIN,
        'run',
        ...files,
        '--partner',
        partner,
        '--port',
        '0',
        '--item-timeout',
        '1',
        '--no-preflight',
        '--out',
        'reports/deadline',
        '--reporter',
        'json',
      ],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, out).toBe(3);
    const report = await reportIn('reports/deadline');
    expect(outcomes(report)).toEqual([
      ['CPO-91', 'error', 'ITEM_DEADLINE'],
      ['CPO-92', 'error', 'ITEM_DEADLINE'],
    ]);
    expect(report.items[0]?.reason?.message).toContain('did not finish within 1 s (--item-timeout)');
    // Each cut at 1 s, not after its 60 s await.
    for (const i of report.items) expect(i.durationMs).toBeLessThan(30_000);
  }, 120_000);
});

describe('an interrupted hbs-sim demo', () => {
  it('stops both roles, which run at the same time, reports each as interrupted and exits 3', async () => {
    // Once the CPO role runs its first item: the EMP runs alongside, its output held back.
    const { code, out, err, signalledAt, stoppedInMs } = await interrupted(
      ['demo', '--out', 'reports/demo-int'],
      'CPO-01',
    );
    expect(signalledAt, `${out}\n${err}`).toBeGreaterThan(0);
    expect(code, `${out}\n${err}`).toBe(3);
    expect(stoppedInMs).toBeLessThan(30_000);
    for (const role of ['cpo', 'emp']) {
      const report = await reportIn(`reports/demo-int/${role}`);
      expect(report.summary.verdict, role).toBe('error');
      expect(
        report.items.some((i) => i.reason?.code === 'INTERRUPTED'),
        role,
      ).toBe(true);
    }
    // Both verdicts printed, the EMP's block after the CPO's.
    const cpoVerdict = out.indexOf('Verdict: ERROR');
    expect(cpoVerdict, out).toBeGreaterThan(out.indexOf('── Reference CPO'));
    expect(out.indexOf('── Reference EMP'), out).toBeGreaterThan(cpoVerdict);
    expect(out.lastIndexOf('Verdict: ERROR'), out).toBeGreaterThan(out.indexOf('── Reference EMP'));
    expect(out).toMatch(/Demo finished in [\d.]+ s: CPO error, EMP error\./);
    await readFile(join(cwd, 'reports/demo-int/index.html'), 'utf8');
  }, 120_000);
});
