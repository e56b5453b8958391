import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCli, startCli } from '../../helpers/built-cli.js';
import { closedPort } from '../../helpers/listeners.js';

/**
 * The preflight as a CI pipeline meets it: `hbs-sim run` against a backend that is down stops before item 1 with
 * the URL named (exit 3, no report, not the time of the catalogue); `hbs-sim check` names a dead trigger (3) and
 * missing test data (2), and passes the reference CPO (0).
 */
const dirs: string[] = [];
const children = new Set<ChildProcessByStdio<null, Readable, Readable>>();
let backend: http.Server;
let backendPort: number;
/** Every request the backend saw: the preflight may only ask HEAD and OPTIONS. */
const seen: string[] = [];

beforeAll(async () => {
  backend = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(405).end();
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  backendPort = (backend.address() as AddressInfo).port;
});
afterEach(() => {
  for (const c of children) c.kill('SIGKILL');
});
afterAll(async () => {
  await new Promise<void>((r) => backend.close(() => r()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hbs-sim-preflight-'));
  dirs.push(dir);
  return dir;
}

const start = (args: string[], cwd: string): RunningCli => startCli(args, cwd, children);

async function exec(args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  const p = start(args, cwd);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}

/** A CPO profile with test data for the whole catalogue; `lines` adds to it. */
async function profile(cwd: string, serviceUrl: string, lines: string[] = [], testData = true): Promise<string> {
  const file = join(cwd, 'partner.yaml');
  await writeFile(
    file,
    [
      'version: 1',
      'id: DE*ACM',
      'role: CPO',
      'name: ACME',
      'serviceTypes:',
      `  authorization: { onlineRequest: true, serviceUrl: "${serviceUrl}" }`,
      `  reservation: { onlineRequest: true, serviceUrl: "${serviceUrl}" }`,
      '  evseData: { onlineRequest: false }',
      '  evseStatus: { onlineRequest: false }',
      ...(testData
        ? [
            'testData:',
            '  evseIds: [DE*ACM*E0001*1, DE*ACM*E0002*1, DE*ACM*E0003*1, DE*ACM*E0004*1, DE*ACM*E0005*1, DE*ACM*E0006*1]',
            '  uids: [04A1B2C3D4E5F6, 04A1B2C3D4E5F7]',
          ]
        : []),
      ...lines,
      '',
    ].join('\n'),
  );
  return file;
}

describe('hbs-sim run, preflight', () => {
  it('stops before item 1 when the Service URL refuses connections: exit 3, the URL named, no report', async () => {
    const cwd = await freshDir();
    const port = await closedPort();
    const started = performance.now();
    const r = await exec(
      [
        'run',
        '--partner',
        await profile(cwd, `https://127.0.0.1:${port}/oicp`),
        '--port',
        '0',
        '--out',
        'reports/down',
      ],
      cwd,
    );
    const seconds = (performance.now() - started) / 1000;
    expect(r.code, `${r.out}\n${r.err}`).toBe(3);
    expect(r.err).toContain(`CONNECTION_REFUSED https://127.0.0.1:${port}/oicp/`);
    expect(r.err).toContain(`fix: start your backend so that it listens at 127.0.0.1:${port}`);
    expect(r.err).not.toMatch(/\n\s+at /);
    // No item started, and the report folder (made writable before the hub started) stays empty.
    expect(r.out).not.toMatch(/CPO-\d/);
    expect(await readdir(join(cwd, 'reports/down'))).toEqual([]);
    // The catalogue at time scale 1 takes many minutes; the preflight's probes a few seconds.
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});

describe('hbs-sim check', () => {
  it('names an HTTP trigger whose test API is on a dead port, and asks the live backend only HEAD/OPTIONS', async () => {
    const cwd = await freshDir();
    const dead = await closedPort();
    const file = await profile(cwd, `http://127.0.0.1:${backendPort}/oicp`, [
      'triggers:',
      `  swipe: { http: { url: "http://127.0.0.1:${dead}/test/swipe", body: { evseId: "{{evseId}}" } } }`,
      `  pushEvseData: { http: { url: "http://127.0.0.1:${backendPort}/test/push-evse-data" } }`,
    ]);
    seen.length = 0;
    const r = await exec(['check', '--partner', file], cwd);
    expect(r.code, `${r.out}\n${r.err}`).toBe(3);
    expect(r.out).toMatch(
      /✓ endpoint {2}AuthorizeRemoteStart http:\/\/127\.0\.0\.1:\d+\/oicp\/\S+ — answers \(HTTP 405 to HEAD\)/,
    );
    expect(r.out).toMatch(/✓ trigger {3}trigger pushEvseData .* — answers \(HTTP 405 to OPTIONS \*\)/);
    expect(r.out).toContain(`✗ trigger   trigger swipe http://127.0.0.1:${dead}/test/swipe — CONNECTION_REFUSED`);
    expect(r.out).toContain(`CONNECTION_REFUSED http://127.0.0.1:${dead}/test/swipe (trigger swipe)`);
    expect(r.out).toContain('fix: start your test API');
    expect(r.out).toContain('triggers.swipe.http.url');
    expect(seen.length).toBeGreaterThan(0);
    expect(
      seen.every((s) => /^(HEAD \/oicp\/|OPTIONS \*$)/.test(s)),
      seen.join('\n'),
    ).toBe(true);
  }, 60_000);

  it('exits 2 with the test-data diagnosis when the profile lacks what mandatory items need', async () => {
    const cwd = await freshDir();
    const file = await profile(cwd, `http://127.0.0.1:${backendPort}/oicp`, [], false);
    const r = await exec(['check', '--partner', file], cwd);
    expect(r.code, `${r.out}\n${r.err}`).toBe(2);
    expect(r.out).toMatch(
      /TEST_DATA_MISSING testData\.evseIds: \d+ EVSEs needed, 0 given in partner\.yaml \(evseIds\[0\] by CPO-/,
    );
    expect(r.out).toContain('fix: list the missing values under testData in partner.yaml');
    expect(r.out).toMatch(/✓ endpoint/);
  }, 60_000);

  it('passes the reference CPO with the profile it writes: exit 0, every check ✓', async () => {
    const cwd = await freshDir();
    const hubPort = await closedPort();
    const reference = start(
      ['reference', 'cpo', '--hub', `https://127.0.0.1:${hubPort}/api/oicp`, '--profile-out', 'ref-cpo.yaml'],
      cwd,
    );
    const deadline = Date.now() + 30_000;
    while (!/Partner profile: .+/.test(reference.out())) {
      if (Date.now() > deadline)
        throw new Error(`the reference CPO did not start:\n${reference.out()}\n${reference.err()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const r = await exec(['check', '--partner', 'ref-cpo.yaml'], cwd);
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    expect(r.out).toMatch(/✓ endpoint {2}AuthorizeRemoteStart https:\/\/127\.0\.0\.1:\d+\//);
    expect(r.out).toMatch(/✓ trigger /);
    expect(r.out).not.toContain('✗');
    expect(r.out).toContain('All checks passed');
  }, 60_000);
});
