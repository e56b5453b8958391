import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certify, worldWithPartner } from '../../../src/app/certify.js';
import { loadWorld } from '../../../src/config/world/load.js';
import type { World } from '../../../src/config/world/types.js';
import { createConsoleReporter, multiplexProgress } from '../../../src/harness/report/index.js';
import type { ChecklistItem, Report } from '../../../src/harness/report/model.js';
import { knownActors, loadScenarios } from '../../../src/harness/scenario/load.js';
import { loadProfile } from '../../../src/harness/scenario/profile.js';
import { silentLogger } from '../../../src/shared/log.js';
import { post } from '../../helpers/http.js';
import { cdr } from '../../helpers/messages.js';

/**
 * Verdicts that mean what they say, against a CPO backend we did not write (a plain-HTTP test server that calls
 * the hub with the client certificate the run made for it): a harness fault is the item's `error` and never
 * reaches the partner; a trigger is judged by what reached HBS; a prompt with nobody to answer it is an `error`
 * before any traffic; a step's named exchange is that operation or nothing; an item's exchanges are its evidence
 * whatever its outcome.
 */

let cwd: string;
let world: World;
let backend: http.Server;
let hub: { url: string; ca: string; cert: string; key: string } | undefined;
/** HTTP statuses HBS gave the backend's own requests, by operation. */
const answers: Array<{ path: string; status: number }> = [];
let testApi: (path: string, res: http.ServerResponse) => void = (_p, res) => void res.writeHead(200).end();

/** The backend calls HBS as the partner (mTLS with its client certificate) and notes the HTTP status it got. */
async function callHub(path: string, body: unknown): Promise<number> {
  const h = hub!;
  const { status } = await post(`${h.url}${path}`, body, { ca: h.ca, client: { cert: h.cert, key: h.key } });
  answers.push({ path, status });
  return status;
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-engine-verdicts-'));
  const loaded = await loadWorld();
  world = { ...loaded, hub: { ...loaded.hub, port: 0 } };
  backend = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      if (path.startsWith('/test/')) {
        testApi(path, res);
        return;
      }
      const body = JSON.parse(text) as { SessionID: string; EvseID: string; Identification: unknown };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Result: true, StatusCode: { Code: '000' }, SessionID: body.SessionID }));
      const n = (Type: string) => ({
        Type,
        SessionID: body.SessionID,
        EvseID: body.EvseID,
        OperatorID: 'DE*ACM',
        ChargingStart: new Date().toISOString(),
        Identification: body.Identification,
        ...(Type === 'End' ? { ChargingEnd: new Date().toISOString() } : {}),
      });
      // Start a little after the answer, so it arrives while the scenario already awaits it.
      if (path.includes('start'))
        setTimeout(() => void callHub('/notificationmgmt/v11/charging-notifications', n('Start')), 300);
      else void callHub('/notificationmgmt/v11/charging-notifications', n('End'));
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise<void>((r) => backend.close(() => r()));
  await rm(cwd, { recursive: true, force: true });
});

async function run(
  name: string,
  steps: string[],
  triggers: string[] = [],
  hubSettings: Partial<World['hub']> = {},
): Promise<{ item: ChecklistItem; report: Report; printed: string }> {
  const port = (backend.address() as AddressInfo).port;
  const profilePath = join(cwd, `${name}-partner.yaml`);
  await writeFile(
    profilePath,
    [
      'version: 1',
      'id: DE*ACM',
      'role: CPO',
      'name: ACME',
      'serviceTypes:',
      `  authorization: { onlineRequest: true, serviceUrl: "http://127.0.0.1:${port}/oicp" }`,
      `  chargingNotifications: { onlineRequest: true }`,
      'testData:',
      '  evseIds: [DE*ACM*E0001*1]',
      ...(triggers.length ? ['triggers:', ...triggers.map((t) => `  ${t}`)] : []),
      '',
    ].join('\n'),
  );
  const dir = join(cwd, name);
  await writeFile(
    join(cwd, `${name}.yaml`),
    [
      'version: 1',
      'id: CPO-90',
      'title: T',
      'role: CPO',
      'section: general',
      'mandatory: true',
      'spec: S',
      'steps:',
      ...steps,
      '',
    ].join('\n'),
  );
  const scenarios = await loadScenarios([join(cwd, `${name}.yaml`)], knownActors(world), cwd);
  let printed = '';
  const profile = await loadProfile(profilePath);
  const result = await certify({
    world: worldWithPartner({ ...world, hub: { ...world.hub, ...hubSettings } }, profile),
    profile,
    scenarios,
    cwd,
    timeScale: 0.01,
    logger: silentLogger(),
    progress: multiplexProgress([createConsoleReporter({ stream: { write: (t: string) => (printed += t) }, env: {} })]),
    outDir: dir,
    reporters: ['json'],
    latest: false,
    onHub: (url, paths) => {
      hub = {
        url,
        ca: readFileSync(paths.ca.cert, 'utf8'),
        cert: readFileSync(paths.partnerClient.cert, 'utf8'),
        key: readFileSync(paths.partnerClient.key, 'utf8'),
      };
    },
  });
  return { item: result.report.items[0]!, report: result.report, printed };
}

describe("the engine's verdicts", () => {
  it('an item keeps its place in the record while older exchanges leave memory (positions, not array indexes)', async () => {
    // Two exchanges in memory: the virtual actors' start-up pushes fill it before the item, so every exchange of
    // the item pushes an older one out. An index taken into the in-memory list would point past its end for good.
    const { item, report } = await run(
      'small-recorder',
      [
        '  - actor: virtual-emp',
        '    action: remote-start',
        '    with: { evseId: "DE*ACM*E0001*1" }',
        '    capture: { sessionId: "response:/SessionID" }',
        '  - await: ChargingNotification',
        '    match: { /SessionID: "{{sessionId}}", /Type: Start }',
        '    timeoutMs: 300000',
        '    expect: { code: "000" }',
      ],
      [],
      { recorder: { maxExchanges: 2, maxMiB: 128 } },
    );
    expect(item.outcome, JSON.stringify({ reason: item.reason, steps: item.steps })).toBe('passed');
    // The report keeps the item's evidence although the recorder held two exchanges at a time.
    expect(item.exchangeIds.length).toBeGreaterThan(2);
    expect(report.exchanges.map((x) => x.id)).toEqual(expect.arrayContaining(item.exchangeIds));
  }, 30_000);

  it("a placeholder with no value while matching is the item's error; the partner's notification is answered as without a scenario", async () => {
    answers.length = 0;
    const { item, report } = await run('no-value', [
      '  - actor: virtual-emp',
      '    action: remote-start',
      '    with: { evseId: "DE*ACM*E0001*1" }',
      '    capture: { sessionId: "response:/NoSuchField" }',
      '  - await: ChargingNotification',
      '    match: { /SessionID: "{{sessionId}}", /Type: Start }',
      '    timeoutMs: 300000',
    ]);
    expect(item.outcome).toBe('error');
    expect(item.reason?.message).toContain('{{sessionId}} has no value');
    const start = answers.find((a) => a.path.includes('charging-notifications'));
    expect(start?.status).toBe(200);
    // The item's evidence holds the notification although no step judged it.
    const notification = report.exchanges.find(
      (x) => x.operation === 'ChargingNotification' && x.direction === 'partner→hub',
    );
    expect(notification).toBeDefined();
    expect(item.exchangeIds).toContain(notification!.id);
  }, 30_000);

  it("a trigger answered 5xx after the partner's request reached HBS is judged on that request: HBS refused it, the partner failed", async () => {
    testApi = (_p, res) => {
      // The partner pushes a status HBS refuses (not an OICP EvseStatus), then its test API reports the refusal.
      void callHub('/evsepush/v21/operators/DE*ACM/status-records', {
        ActionType: 'update',
        OperatorEvseStatus: {
          OperatorID: 'DE*ACM',
          EvseStatusRecord: [{ EvseID: 'DE*ACM*E0001*1', EvseStatus: 'Broken' }],
        },
      }).then(() => res.writeHead(502, { 'content-type': 'text/plain' }).end('HBS refused the push'));
    };
    const { item } = await run(
      'refused',
      ['  - trigger: pushStatus', '  - await: PushEvseStatus', '    timeoutMs: 60000', '    expect: { code: "000" }'],
      [`pushStatus: { http: { url: "http://127.0.0.1:${(backend.address() as AddressInfo).port}/test/push" } }`],
    );
    expect(item.outcome, JSON.stringify(item.steps)).toBe('failed');
    expect(item.steps[0]!.title).toContain('answered HTTP 502');
    expect(item.steps[1]!.checks.find((c) => c.id.includes('code'))?.outcome).toBe('failed');
  }, 30_000);

  it("a trigger refused with nothing sent to HBS is the harness's error, with the status and body the test API gave", async () => {
    testApi = (_p, res) => void res.writeHead(500, { 'content-type': 'text/plain' }).end('evse service down');
    const { item } = await run(
      'nothing-sent',
      ['  - trigger: pushStatus', '  - await: PushEvseStatus', '    timeoutMs: 60000'],
      [`pushStatus: { http: { url: "http://127.0.0.1:${(backend.address() as AddressInfo).port}/test/push" } }`],
    );
    expect(item.outcome).toBe('error');
    expect(item.reason?.message).toMatch(/answered HTTP 500 \(body: evse service down\)/);
  }, 30_000);

  it('an await that timed out names the request HBS refused instead of "none arrived", the limit as the run used it, and the console says why the item failed', async () => {
    const stranger = '0a1b2c3d-0000-4000-8000-00000000dead';
    testApi = (_p, res) => {
      // The partner sends its CDR for a session HBS never issued, so the await for the expected one times out.
      void callHub('/cdrmgmt/v22/operators/DE*ACM/charge-detail-record', cdr(stranger, 'DE*ACM*E0001*1')).then(() =>
        res.writeHead(200).end(),
      );
    };
    const { item, printed } = await run(
      'refused-cdr',
      [
        '  - trigger: sendCdr',
        '  - await: ChargeDetailRecord',
        '    match: { /SessionID: "6f1c2d3e-0000-4000-8000-000000000001" }',
        '    timeoutMs: 60000',
      ],
      [`sendCdr: { http: { url: "http://127.0.0.1:${(backend.address() as AddressInfo).port}/test/cdr" } }`],
    );
    expect(item.outcome).toBe('failed');
    const received = item.steps[1]!.checks.find((c) => c.id === 'received');
    expect(received?.expected).toBe('a matching request within 1.6 s (60 s protocol time at --time-scale 0.01)');
    expect(received?.actual).toBe(
      `a ChargeDetailRecord arrived with SessionID ${stranger}, which HBS refused (StatusCode 400: Session is invalid; SessionID ${stranger} is unknown to HBS: use the SessionID HBS gave in AuthorizeStart or the remote start)`,
    );
    // The console's line for the item carries the reason, not only FAILED and the time.
    const line = printed.split('\n').find((l) => l.includes('FAILED CPO-90'));
    expect(line).toMatch(/FAILED CPO-90 \([^)]+\): ChargeDetailRecord from the partner: expected .*which HBS refused/);
  }, 30_000);

  it('with nobody at a terminal, an item whose trigger is a prompt is an error "needs a person" before any traffic', async () => {
    const { item, report } = await run(
      'prompt',
      ['  - trigger: pushStatus', '  - await: PushEvseStatus', '    timeoutMs: 1000'],
      ['pushStatus: { prompt: "Push the status of {{partner.evseIds[0]}} now" }'],
    );
    expect(item.outcome).toBe('error');
    expect(item.reason).toEqual({
      code: 'NEEDS_PERSON',
      message:
        'needs a person: trigger pushStatus is a prompt; give an http trigger in the partner profile or run in a terminal',
    });
    expect(report.exchanges.filter((x) => x.direction === 'partner→hub')).toEqual([]);
  }, 30_000);

  it('the teardown sets an EVSE the item put out of service Available again when a failed step kept the item from doing so', async () => {
    const calls: unknown[] = [];
    const port = (backend.address() as AddressInfo).port;
    testApi = (path, res) => {
      calls.push(path);
      res.writeHead(200).end();
    };
    const { item } = await run(
      'status-back',
      [
        '  - trigger: setStatus',
        '    with: { evseId: "{{partner.evseIds[0]}}", status: OutOfService }',
        '  - await: PushEvseStatus',
        '    timeoutMs: 1000',
        '  - trigger: setStatus',
        '    with: { evseId: "{{partner.evseIds[0]}}", status: Available }',
      ],
      [`setStatus: { http: { url: "http://127.0.0.1:${port}/test/status/{{evseId}}/{{status}}" } }`],
    );
    expect(item.outcome).toBe('failed');
    expect(calls).toEqual(['/test/status/DE*ACM*E0001*1/OutOfService', '/test/status/DE*ACM*E0001*1/Available']);
    expect(item.steps.at(-1)!.title).toBe(
      'teardown: set DE*ACM*E0001*1 Available again (it was left OutOfService; setStatus trigger)',
    );
  }, 30_000);

  it("a step's named exchange is that operation only: a remote stop is never judged as the remote start the step names", async () => {
    const { item } = await run('other-op', [
      '  - actor: virtual-emp',
      '    action: remote-stop',
      '    with: { sessionId: "6f1c2d3e-0000-4000-8000-000000000001", evseId: "DE*ACM*E0001*1" }',
      '    expect: { exchange: AuthorizeRemoteStart, code: "000" }',
    ]);
    expect(item.outcome).not.toBe('passed');
    const check = item.steps[0]!.checks.find((c) => c.id === 'exchange');
    expect(check).toMatchObject({
      outcome: 'error',
      expected: 'AuthorizeRemoteStart',
      actual: 'none (only AuthorizeRemoteStop)',
    });
  }, 30_000);
});
