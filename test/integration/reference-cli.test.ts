import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/app/reference-run.js';
import { type RunningCli, startCli } from '../helpers/built-cli.js';

/**
 * `hbs-sim reference cpo` as a partner backend of its own: a separate process that listens for HBS on mutual TLS,
 * calls the hub with its own client certificate and writes its partner profile. `hbs-sim run`, another process,
 * certifies it from nothing but that profile file and the shared certs/ folder of the working directory, the way a
 * user runs the two commands in two terminals. Exit codes: 0 when CPO-07 passes, 1 with a fault CPO-07 catches,
 * 2 for an unknown fault.
 */
const TIME_SCALE = '0.02';
const STARTUP_MS = 30_000;

type Child = ChildProcessByStdio<null, Readable, Readable>;

const children = new Set<Child>();
const dirs: string[] = [];

const start = (args: string[], cwd: string): RunningCli => startCli(args, cwd, children);

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
async function stop(child: Child, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

afterEach(async () => {
  await Promise.all([...children].map((c) => stop(c)));
});
afterAll(async () => {
  await Promise.all([...children].map((c) => stop(c, 1_000)));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hbs-sim-reference-'));
  dirs.push(dir);
  return dir;
}

/** Resolves once the output matches; rejects when the process exits first or the time is up, with its output. */
async function waitFor(p: RunningCli, pattern: RegExp, timeoutMs = STARTUP_MS): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void p.exited.then((c) => (exitCode = c));
  for (;;) {
    const m = p.out().match(pattern);
    if (m) return m;
    if (exitCode !== undefined)
      throw new Error(
        `the process exited (${exitCode}) before printing ${pattern}\nstdout:\n${p.out()}\nstderr:\n${p.err()}`,
      );
    if (Date.now() > deadline)
      throw new Error(`no ${pattern} within ${timeoutMs} ms\nstdout:\n${p.out()}\nstderr:\n${p.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface ReportItem {
  id: string;
  outcome: string;
  steps: Array<{
    title: string;
    outcome: string;
    checks: Array<{ id: string; outcome: string; pointer?: string; side?: string }>;
  }>;
}
interface Report {
  partner: { id: string; role: string; endpoints: Array<{ name: string; url: string }> };
  summary: { verdict: string };
  items: ReportItem[];
  exchanges: Array<{
    direction: string;
    operation: string;
    partnerId?: string;
    sessionId?: string;
    request: { url: string };
    response?: { status?: number };
  }>;
}

/** Starts the reference CPO against a hub port nobody listens on yet, then certifies it with `hbs-sim run`. */
async function certifyReferenceCpo(faults: string[], extra: string[] = []) {
  const cwd = await freshDir();
  const port = await freePort('127.0.0.1');
  const profile = join(cwd, 'ref-cpo.yaml');
  const reference = start(
    [
      'reference',
      'cpo',
      '--hub',
      `https://127.0.0.1:${port}/api/oicp`,
      '--time-scale',
      TIME_SCALE,
      '--profile-out',
      profile,
      ...faults.flatMap((f) => ['--fault', f]),
      ...extra,
    ],
    cwd,
  );
  await waitFor(reference, /Partner profile: .+/);
  const oicpUrl = reference.out().match(/listening for HBS at (https?:\/\/127\.0\.0\.1:\d+\/\S*)/)?.[1];
  expect(oicpUrl, reference.out()).toBeDefined();

  const run = start(
    [
      'run',
      '--partner',
      profile,
      '--port',
      String(port),
      '--time-scale',
      TIME_SCALE,
      '--grep',
      'CPO-07',
      '--out',
      join(cwd, 'report'),
    ],
    cwd,
  );
  const code = await run.exited;
  const report = JSON.parse(
    await readFile(join(cwd, 'report', 'report.json'), 'utf8').catch((e) => {
      throw new Error(
        `no report.json (exit ${code}): ${String(e)}\nrun stdout:\n${run.out()}\nrun stderr:\n${run.err()}\nreference stderr:\n${reference.err()}`,
      );
    }),
  ) as Report;
  return { code, run, reference, report, oicpUrl: oicpUrl!, cwd };
}

describe('hbs-sim reference cpo, certified by hbs-sim run in another process', () => {
  it('passes CPO-07 and exits 0, from its profile file alone', async () => {
    const { code, run, reference, report, oicpUrl } = await certifyReferenceCpo([]);
    expect(code, `run stdout:\n${run.out()}\nrun stderr:\n${run.err()}\nreference stderr:\n${reference.err()}`).toBe(0);
    expect(run.out()).toContain('PASSED');
    expect(report.summary.verdict).toBe('passed');
    expect(report.items.map((i) => [i.id, i.outcome])).toEqual([['CPO-07', 'passed']]);
    // The hub reached the partner at the URL its profile gave, and the partner called the hub on its own.
    expect(report.partner).toMatchObject({ id: 'DE*RCP', role: 'CPO' });
    expect(report.partner.endpoints.map((e) => e.url)).toContain(oicpUrl);
    const leg = report.exchanges.find((x) => x.direction === 'hub→partner' && x.operation === 'AuthorizeRemoteStart');
    expect(leg?.response?.status).toBe(200);
    // (The report embeds only the exchanges the item's steps used; which of the partner's own calls those are is the
    // scenario's business, so this asks for at least one, answered 200, with the partner's certificate identity.)
    const own = report.exchanges.filter((x) => x.direction === 'partner→hub' && x.partnerId === 'DE*RCP');
    expect(
      own.length,
      JSON.stringify(report.exchanges.map((x) => [x.direction, x.operation, x.partnerId])),
    ).toBeGreaterThan(0);
    expect(
      own.every((x) => x.response?.status === 200),
      JSON.stringify(own),
    ).toBe(true);
    // The reference is still up after the run: a backend is not stopped by being certified.
    expect(reference.child.exitCode).toBeNull();
  }, 60_000);

  it('passes with its OICP endpoint on plain HTTP (--http), as a local backend without TLS', async () => {
    const { code, run, report, oicpUrl } = await certifyReferenceCpo([], ['--http']);
    expect(oicpUrl).toMatch(/^http:\/\//);
    expect(code, `run stdout:\n${run.out()}\nrun stderr:\n${run.err()}`).toBe(0);
    expect(report.partner.endpoints.map((e) => e.url)).toContain(oicpUrl);
    expect(report.items.map((i) => [i.id, i.outcome])).toEqual([['CPO-07', 'passed']]);
  }, 60_000);

  it('passes on plain HTTP at URLs of its own design, one per operation with a query string (--custom-urls)', async () => {
    const { code, run, report, cwd } = await certifyReferenceCpo([], ['--http', '--custom-urls']);
    expect(code, `run stdout:\n${run.out()}\nrun stderr:\n${run.err()}`).toBe(0);
    const profile = await readFile(join(cwd, 'ref-cpo.yaml'), 'utf8');
    expect(profile).not.toContain('serviceUrl');
    expect(profile).toMatch(
      /AuthorizeRemoteStart: http:\/\/127\.0\.0\.1:\d+\/partner-api\/authorize-remote-start\?operatorID=\{operatorID\}&via=hbs/,
    );
    expect(report.partner.endpoints.map((e) => e.name)).toEqual(
      expect.arrayContaining(['AuthorizeRemoteStart', 'AuthorizeRemoteStop']),
    );
    // HBS called the registered URL, its own ID filled in, and nothing at the standard OICP paths.
    const legs = report.exchanges.filter((x) => x.direction === 'hub→partner' && x.partnerId === 'DE*RCP');
    expect(legs.length).toBeGreaterThan(0);
    expect(legs.find((x) => x.operation === 'AuthorizeRemoteStart')?.request.url).toMatch(
      /\/partner-api\/authorize-remote-start\?operatorID=DE(\*|%2A)RCP&via=hbs$/,
    );
    expect(
      legs.every((x) => x.request.url.includes('/partner-api/') && x.response?.status === 200),
      JSON.stringify(legs.map((x) => x.request.url)),
    ).toBe(true);
  }, 60_000);

  it('fails CPO-07 and exits 1 with --fault sessionIdNotEchoed, pointing at the SessionID', async () => {
    const { code, run, reference, report } = await certifyReferenceCpo(['sessionIdNotEchoed']);
    expect(reference.out()).toContain('faults on: sessionIdNotEchoed');
    expect(code, `run stdout:\n${run.out()}\nrun stderr:\n${run.err()}`).toBe(1);
    expect(run.out()).toMatch(/FAILED.*CPO-07|CPO-07.*FAILED/);
    expect(report.summary.verdict).toBe('failed');
    const item = report.items.find((i) => i.id === 'CPO-07');
    expect(item?.outcome).toBe('failed');
    const failed = item!.steps.flatMap((s) => s.checks).filter((c) => c.outcome === 'failed');
    expect(failed.map((c) => [c.pointer, c.side])).toContainEqual(['/SessionID', 'response']);
  }, 60_000);
});

describe('hbs-sim reference cpo --ocpp', () => {
  it('runs its CSMS, names the charge points in its profile, and hbs-sim check boots each one', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-ref-ocpp-'));
    dirs.push(cwd);
    const port = await freePort('127.0.0.1');
    const profile = join(cwd, 'ref-cpo.yaml');
    const reference = start(
      ['reference', 'cpo', '--ocpp', '--hub', `https://127.0.0.1:${port}/api/oicp`, '--profile-out', profile],
      cwd,
    );
    await waitFor(reference, /Partner profile: .+/);
    expect(reference.out()).toMatch(
      /CSMS \(loopback\): ws:\/\/127\.0\.0\.1:\d+\/ocpp\/<charge point>, 6 charge points/,
    );
    const text = await readFile(profile, 'utf8');
    expect(text).toMatch(/^ocpp:$/m);
    expect(text).not.toMatch(/^ {2}swipe:/m);
    const check = start(['check', '--partner', profile], cwd);
    const code = await check.exited;
    expect(code, `${check.out()}\n${check.err()}`).toBe(0);
    expect(
      check.out().match(/✓ ocpp +charge point RCP-\d{4} at ws:\/\/127\.0\.0\.1:\d+\/ocpp — BootNotification Accepted/g),
    ).toHaveLength(6);
  }, 60_000);

  it('--ocpp for the reference EMP exits 2: only a CPO has charge points', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-ref-ocpp-'));
    dirs.push(cwd);
    const r = start(['reference', 'emp', '--ocpp'], cwd);
    expect(await r.exited).toBe(2);
    expect(r.err()).toContain('--ocpp is for the reference CPO');
    expect(r.err()).not.toMatch(/\n\s+at /);
  });
});

describe('hbs-sim reference, without a partner running', () => {
  it('--list-faults exits 0 and lists each fault with the scenarios that catch it', async () => {
    const p = start(['reference', '--list-faults'], await freshDir());
    const code = await p.exited;
    expect(code, p.err()).toBe(0);
    expect(p.out()).toContain('Reference CPO:');
    expect(p.out()).toContain('Reference EMP:');
    expect(p.out()).toMatch(/^\s*sessionIdNotEchoed\s.*\[caught by [^\]]*\bCPO-07\b[^\]]*\]$/m);
    expect(p.out()).toMatch(/^\s*firstPageOnly\s.*\[caught by [^\]]*\bEMP-01\b[^\]]*\]$/m);
  }, 60_000);

  it('--fault nope exits 2 naming the unknown fault, without a stack trace', async () => {
    const cwd = await freshDir();
    const p = start(['reference', 'cpo', '--fault', 'nope'], cwd);
    const code = await p.exited;
    expect(code).toBe(2);
    const text = p.out() + p.err();
    expect(text).toContain('nope is not a fault');
    expect(text).toContain('sessionIdNotEchoed'); // the faults it does know
    expect(text).not.toMatch(/^\s+at .+[:(]\d+/m);
    expect(text).not.toMatch(/\bError:|\.ts:\d+/);
    expect(text).not.toContain('Press Ctrl-C');
  }, 60_000);

  it('--list-quirks exits 0 and lists each quirk under each role it applies to, with the items it skips', async () => {
    const p = start(['reference', '--list-quirks'], await freshDir());
    const code = await p.exited;
    expect(code, p.err()).toBe(0);
    const [cpo, emp] = p.out().split(/^Reference EMP quirks.*$/m);
    expect(cpo).toMatch(/^\s*noProgress\s.*Progress/m);
    expect(emp).not.toMatch(/noProgress/);
    expect(emp).toMatch(/^\s*mandatoryServicesOnly\s.*\[skips EMP-12, EMP-14, EMP-15\]$/m);
    expect(p.out()).not.toContain('Reference CPO:'); // the faults only with --list-faults
  }, 60_000);

  it('--quirk nope and a quirk of the other role exit 2 naming them', async () => {
    const p = start(['reference', 'emp', '--quirk', 'nope', '--quirk', 'noProgress'], await freshDir());
    const code = await p.exited;
    expect(code).toBe(2);
    const text = p.out() + p.err();
    expect(text).toContain('nope is not a quirk; noProgress is not a quirk of the reference EMP');
    expect(text).not.toContain('Press Ctrl-C');
  }, 60_000);
});
