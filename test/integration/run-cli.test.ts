import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin } from '../helpers/built-cli.js';

/**
 * `hbs-sim run` as a CI pipeline runs it: a CPO backend under test (plain HTTP here, so the test needs no
 * certificates of its own before the run), scenario CPO-07, and the exit-code contract: 0 a correct CPO,
 * 1 a CPO that breaks the rule, 3 a CPO that cannot be reached, 2 bad input.
 */
const BIN = builtBin();
let cwd: string;
let backend: http.Server;
let mode: 'good' | 'no-session-echo' = 'good';
let hubUrl = '';
/** Where HBS called the backend: partners register any URL with Hubject, path and query included. */
const calledAt: string[] = [];

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-run-'));
  backend = http.createServer((req, res) => {
    // The run's preflight asks with HEAD (an endpoint) or OPTIONS * (a test API); only POSTs are OICP or orders.
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    if (req.url === '/test/push-status') {
      // A test API that takes the order and answers at once; the push (and its retry) happen afterwards.
      req.resume();
      res.writeHead(200).end();
      void pushStatusWithBackoff();
      return;
    }
    calledAt.push(req.url ?? '');
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as { SessionID: string; EvseID: string; Identification: unknown };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          Result: true,
          StatusCode: { Code: '000' },
          ...(mode === 'good' ? { SessionID: body.SessionID } : {}),
        }),
      );
      if (mode === 'good') void notifyStart(body);
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise<void>((r) => backend.close(() => r()));
  await rm(cwd, { recursive: true, force: true });
});

/** The CPO tells HBS the charge started, with the client certificate `hbs-sim run` made for it. */
async function notifyStart(b: { SessionID: string; EvseID: string; Identification: unknown }): Promise<void> {
  const cert = (f: string) => readFile(join(cwd, 'certs', f));
  const body = JSON.stringify({
    Type: 'Start',
    SessionID: b.SessionID,
    EvseID: b.EvseID,
    OperatorID: 'DE*ACM',
    ChargingStart: new Date().toISOString(),
    Identification: b.Identification,
  });
  const [ca, crt, key] = await Promise.all([
    cert('ca.crt'),
    cert('partners/under-test-deacm/client.crt'),
    cert('partners/under-test-deacm/client.key'),
  ]);
  const req = https.request(
    `${hubUrl}/notificationmgmt/v11/charging-notifications`,
    { method: 'POST', ca, cert: crt, key, headers: { 'content-type': 'application/json' } },
    (r) => r.resume(),
  );
  req.end(body);
}

/** The CPO pushes a status; refused with 429, it waits the Retry-After (real seconds) and pushes once more. */
async function pushStatusWithBackoff(): Promise<void> {
  const cert = (f: string) => readFile(join(cwd, 'certs', f));
  const [ca, crt, key] = await Promise.all([
    cert('ca.crt'),
    cert('partners/under-test-deacm/client.crt'),
    cert('partners/under-test-deacm/client.key'),
  ]);
  const body = JSON.stringify({
    ActionType: 'update',
    OperatorEvseStatus: {
      OperatorID: 'DE*ACM',
      EvseStatusRecord: [{ EvseID: 'DE*ACM*E0001*1', EvseStatus: 'Available' }],
    },
  });
  const push = () =>
    new Promise<{ status: number; retryAfter: number }>((resolve, reject) => {
      const req = https.request(
        `${hubUrl}/evsepush/v21/operators/DE*ACM/status-records`,
        { method: 'POST', ca, cert: crt, key, headers: { 'content-type': 'application/json' } },
        (r) => {
          r.resume();
          resolve({ status: r.statusCode ?? 0, retryAfter: Number(r.headers['retry-after'] ?? 0) });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const first = await push();
  if (first.status !== 429) return;
  await new Promise((r) => setTimeout(r, first.retryAfter * 1000));
  await push();
}

async function profile(port: number): Promise<string> {
  const path = join(cwd, 'partner.yaml');
  await writeFile(
    path,
    [
      'version: 1',
      'id: DE*ACM',
      'role: CPO',
      'name: ACME',
      'serviceTypes:',
      `  authorization: { onlineRequest: true, serviceUrl: "http://127.0.0.1:${port}/oicp",`,
      `    operationUrls: { AuthorizeRemoteStart: "http://127.0.0.1:${port}/hubject/start-v21?operatorID={operatorID}&src=hbs" } }`,
      'testData:',
      '  evseIds: [DE*ACM*E0001*1]',
      '',
    ].join('\n'),
  );
  return path;
}

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [BIN, 'run', '--time-scale', '0.01', '--port', '0', '--grep', 'CPO-07', ...args],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      hubUrl = out.match(/Hub (https:\/\/127\.0\.0\.1:\d+\/api\/oicp)/)?.[1] ?? hubUrl;
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('hbs-sim run', () => {
  it('exits 0 for a correct CPO and writes the report', async () => {
    mode = 'good';
    const r = await run(['--partner', await profile((backend.address() as AddressInfo).port), '--out', 'reports/good']);
    expect(r.out).toContain('PASSED');
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(join(cwd, 'reports/good/report.json'), 'utf8'));
    expect(report.items.map((i: { id: string; outcome: string }) => [i.id, i.outcome])).toEqual([['CPO-07', 'passed']]);
    expect(report.summary.verdict).toBe('passed');
    // The remote start went to the registered URL as given; the remote stop (no URL of its own) to the standard path.
    expect(calledAt[0]).toBe('/hubject/start-v21?operatorID=DE*ACM&src=hbs');
    expect(
      calledAt.some(
        (u) => u.startsWith('/oicp/api/oicp/charging/v21/providers/') || u.includes('/authorize-remote/stop'),
      ),
    ).toBe(true);
  }, 60_000);

  it('refuses a scenario file with a typo before any traffic: exit 2 with file:line:col', async () => {
    const file = join(cwd, 'typo.yaml');
    await writeFile(
      file,
      'version: 1\nid: CPO-99\ntitle: T\nrole: CPO\nsection: authorization\nmandatory: yes-please\nspec: S\nsteps:\n  - wait: 10\n    titel: x\n',
    );
    const before = calledAt.length;
    const r = await run([
      file,
      '--partner',
      await profile((backend.address() as AddressInfo).port),
      '--out',
      'reports/typo',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/typo\.yaml:6:\d+ .*mandatory/);
    expect(r.err).toMatch(/typo\.yaml:10:5 steps\[0\]\.titel: unknown key `titel` \(did you mean `title`\?\)/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(calledAt.length).toBe(before);
    await expect(readFile(join(cwd, 'reports/typo/report.json'))).rejects.toThrow();
  }, 60_000);

  it('refuses a mandatory scenario whose test data the profile lacks: exit 2 naming the key, before any traffic', async () => {
    const file = join(cwd, 'needs-cards.yaml');
    await writeFile(
      file,
      [
        'version: 1',
        'id: CPO-07',
        'title: T',
        'role: CPO',
        'section: authorization',
        'mandatory: true',
        'spec: S',
        'steps:',
        '  - trigger: swipe',
        '    with: { evseId: "{{partner.evseIds[0]}}", uid: "{{partner.uids[1]}}" }',
        '',
      ].join('\n'),
    );
    const before = calledAt.length;
    const r = await run([
      file,
      '--partner',
      await profile((backend.address() as AddressInfo).port),
      '--out',
      'reports/no-cards',
    ]);
    expect(r.code).toBe(2);
    // One line per kind: how many needed and given, which item needs the missing one, that an ID may repeat.
    expect(r.err).toContain(
      'TEST_DATA_MISSING testData.uids: 2 cards needed, 0 given in partner.yaml (uids[1] by CPO-07). An ID may be listed more than once',
    );
    expect(r.err).toContain('`npx hbs-sim init cpo` writes a starter profile');
    expect(r.err).not.toContain('examples/');
    expect(r.err.split('\n').filter((l) => l.includes('TEST_DATA_MISSING testData.')).length).toBe(1);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(calledAt.length).toBe(before);
    await expect(readFile(join(cwd, 'reports/no-cards/report.json'))).rejects.toThrow();
  }, 60_000);

  it("gives a partner its Retry-After on top of an await's scaled timeout, so a correct backoff passes at any time scale", async () => {
    // The retry's await is 500 ms at any time scale (a deadline shorter than the 1 s allowance compressed runs add
    // stays itself), less than the 1 s Retry-After the partner must wait.
    const file = join(cwd, 'backoff.yaml');
    await writeFile(
      file,
      [
        'version: 1',
        'id: CPO-07',
        'title: T',
        'role: CPO',
        'section: general',
        'mandatory: true',
        'spec: S',
        'steps:',
        '  - throttle: { operation: PushEvseStatus }',
        '  - trigger: pushStatus',
        '  - await: PushEvseStatus',
        '    timeoutMs: 60000',
        '    expect: { status: 429 }',
        '  - await: PushEvseStatus',
        '    timeoutMs: 500',
        '    expect: { status: 200 }',
        '  - check: [backoff-after-429]',
        '',
      ].join('\n'),
    );
    const port = (backend.address() as AddressInfo).port;
    const partner = await profile(port);
    await writeFile(
      partner,
      `${await readFile(partner, 'utf8')}triggers:\n  pushStatus: { http: { url: "http://127.0.0.1:${port}/test/push-status" } }\n`,
    );
    const r = await run([file, '--partner', partner, '--out', 'reports/backoff']);
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    const report = JSON.parse(await readFile(join(cwd, 'reports/backoff/report.json'), 'utf8'));
    expect(report.items[0].outcome).toBe('passed');
  }, 60_000);

  it('exits 1 when the CPO does not echo the SessionID, naming the field', async () => {
    mode = 'no-session-echo';
    const r = await run([
      '--partner',
      await profile((backend.address() as AddressInfo).port),
      '--out',
      'reports/bad',
      '--reporter',
      'json,junit',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/CPO-07 .*FAILED|FAILED.*CPO-07/);
    const junit = await readFile(join(cwd, 'reports/bad/junit.xml'), 'utf8');
    expect(junit).toContain('/SessionID');
  }, 60_000);

  it('exits 3 when the CPO cannot be reached, and 2 for a missing profile', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    // The preflight finds it before item 1 and names the URL; no report of errors is written.
    const r = await run(['--partner', await profile(port), '--out', 'reports/down']);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`CONNECTION_REFUSED http://127.0.0.1:${port}/hubject/start-v21`);
    expect(r.err).toContain(`fix: start your backend so that it listens at 127.0.0.1:${port}`);
    expect(r.out).not.toContain('CPO-07');
    await expect(readFile(join(cwd, 'reports/down/report.json'))).rejects.toThrow();
    // Without it the item runs and reports the forward that found nobody.
    const unchecked = await run(['--partner', await profile(port), '--out', 'reports/down2', '--no-preflight']);
    expect(unchecked.code).toBe(3);
    expect(unchecked.out).toContain('could not be reached');
    const missing = await run(['--partner', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('CONFIG_NOT_FOUND: partner profile nope.yaml not found');
  }, 60_000);
});
