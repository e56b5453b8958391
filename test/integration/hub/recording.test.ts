import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Hub, startHub } from '../../../src/hub/server.js';
import { mountMonitor } from '../../../src/monitor/mount.js';
import { createClock } from '../../../src/shared/clock.js';
import { Recorder } from '../../../src/shared/recorder.js';
import { post } from '../../helpers/http.js';
import { type FakePartner, startFakePartner, testCerts, testWorld } from '../../helpers/hub.js';
import { authorizeStart, evseRecord, notAuthorized, pushEvseData } from '../../helpers/messages.js';

const PUSH = '/evsepush/v23/operators/DE*CPA/data-records';
const START = '/charging/v21/operators/DE*CPA/authorize/start';

/** A logger whose lines the test reads. */
function capturingLogger(): { logger: pino.Logger; lines: () => Array<{ level: number; msg: string }> } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines: () => out.map((l) => JSON.parse(l)) };
}

async function startRecordingHub(transcriptPath: string, logger?: pino.Logger): Promise<Hub> {
  const certs = await testCerts();
  return startHub({
    world: testWorld({ transcriptPath }),
    tls: certs.hub,
    clock: createClock(1),
    extraRoutes: mountMonitor,
    ...(logger ? { logger } : {}),
  });
}

async function push(hub: Hub, options: { headers?: Record<string, string>; query?: string } = {}) {
  const certs = await testCerts();
  return post(`${hub.url}${PUSH}${options.query ?? ''}`, pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]), {
    ca: certs.hub.ca,
    client: certs.partner('cpo-a').client,
    headers: options.headers,
  });
}

const SECRETS = {
  'x-api-key': 'sekret-api-key-1',
  'proxy-authorization': 'Basic c2VrcmV0LXByb3h5',
  'x-auth-token': 'sekret-auth-token-2',
  'x-client-secret': 'sekret-client-secret-3',
  authorization: 'Bearer sekret-bearer-4',
  cookie: 'sid=sekret-cookie-5',
};
const QUERY = '?token=sekret-query-token-6&api_key=sekret-query-key-7&page=0';

describe('credentials sent to the hub are recorded as [REDACTED] everywhere exchanges are shown', () => {
  let dir: string;
  let hub: Hub;
  let emp: FakePartner;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hbs-redact-'));
    hub = await startRecordingHub(join(dir, 'transcript.jsonl'));
    const certs = await testCerts();
    // The EMP's registered Service URL carries credentials of its own (user-info and a token parameter).
    emp = await startFakePartner(certs, 'emp-b', () => ({ body: notAuthorized('102') }));
    const url = new URL(emp.url);
    hub.context.directory.setServiceUrl(
      'emp-b',
      'authorization',
      `https://svc:sekret-userinfo-8@${url.host}${url.pathname}?access_token=sekret-url-token-9`,
    );
  });
  afterAll(async () => {
    await emp.close();
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps no secret value in memory, the transcript, the monitor detail or the CSV', async () => {
    const certs = await testCerts();
    expect((await push(hub, { headers: SECRETS, query: QUERY })).status).toBe(200);
    const start = await post(`${hub.url}${START}`, authorizeStart('DE*CPA', 'AABBCCDD'), {
      ca: certs.hub.ca,
      client: certs.partner('cpo-a').client,
    });
    expect(start.json.AuthorizationStatus).toBe('NotAuthorized');
    expect(emp.received).toHaveLength(1);

    const inbound = hub.context.recorder.all().find((x) => x.operation === 'PushEvseData')!;
    for (const name of Object.keys(SECRETS)) expect(inbound.request.headers[name], name).toBe('[REDACTED]');
    expect(inbound.request.url).toBe(`/api/oicp${PUSH}?token=[REDACTED]&api_key=[REDACTED]&page=0`);
    const leg = hub.context.recorder.all().find((x) => x.direction === 'hub→partner')!;
    // The OICP path goes after the Service URL's path, its query after that.
    expect(leg.request.url).toMatch(
      /^https:\/\/\[REDACTED\]@127\.0\.0\.1:\d+\/oicp\/charging\/v21\/operators\/DE\*CPA\/authorize\/start\?access_token=\[REDACTED\]/,
    );

    const monitor = (path: string) =>
      post(`${hub.origin}/monitor${path}`, undefined, { method: 'GET', ca: certs.hub.ca, contentType: null });
    const detail = await monitor(`/api/exchanges/${inbound.id}`);
    const legDetail = await monitor(`/api/exchanges/${leg.id}`);
    const csv = await monitor('/api/exchanges.csv');
    const list = await monitor('/api/exchanges?q=sekret');
    expect(list.json.items).toEqual([]);
    await hub.close();
    const transcript = readFileSync(join(dir, 'transcript.jsonl'), 'utf8');
    for (const text of [
      JSON.stringify(hub.context.recorder.all()),
      transcript,
      detail.text,
      legDetail.text,
      csv.text,
    ]) {
      expect(text).not.toMatch(/sekret/);
    }
    expect(detail.json.exchange.request.headers['x-api-key']).toBe('[REDACTED]');
  });
});

describe('the transcript file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hbs-transcript-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created readable by its owner only (0600), and an existing one is narrowed to 0600', async () => {
    const fresh = join(dir, 'new', 'transcript.jsonl');
    const existing = join(dir, 'old.jsonl');
    writeFileSync(existing, '');
    chmodSync(existing, 0o644);
    for (const path of [fresh, existing]) {
      const hub = await startRecordingHub(path);
      expect((await push(hub)).status).toBe(200);
      await hub.close();
      expect(statSync(path).mode & 0o777, path).toBe(0o600);
      expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
    }
  });

  it('that cannot be written (a directory, a path under a file) is reported once, and the hub records on in memory', async () => {
    mkdirSync(join(dir, 'a-directory'));
    writeFileSync(join(dir, 'a-file'), '');
    for (const path of [join(dir, 'a-directory'), join(dir, 'a-file', 'transcript.jsonl')]) {
      const { logger, lines } = capturingLogger();
      const hub = await startRecordingHub(path, logger);
      for (let i = 0; i < 3; i++) expect((await push(hub)).status).toBe(200);
      expect(hub.context.recorder.all()).toHaveLength(3);
      const reports = lines().filter((l) => /cannot write the transcript/.test(l.msg));
      expect(reports, path).toHaveLength(1);
      expect(reports[0]!.msg).toContain(path);
      expect(hub.context.recorder.transcriptError()).toContain(path);
      await hub.close();
    }
  });
});

describe('exchanges kept in memory are bounded by size as well as by count', () => {
  it('drops the oldest once the kept exchanges pass the byte budget, and the transcript still gets every one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbs-budget-'));
    try {
      const certs = await testCerts();
      const recorder = new Recorder({ maxInMemoryBytes: 512 * 1024, transcriptPath: join(dir, 't.jsonl') });
      const hub = await startHub({
        world: testWorld({ bodyLimitBytes: 1024 * 1024, aup: { enabled: false, perMinute: {} } }),
        tls: certs.hub,
        clock: createClock(1),
        recorder,
      });
      // 190 KB pushes of invalid records: each is refused, and each refused body is kept as recorded.
      const records = Array.from({ length: 2_500 }, (_, i) => ({ EvseID: `bad-${i}`, EvseStatus: 'Available' }));
      for (let i = 0; i < 10; i++) {
        const res = await post(
          `${hub.url}/evsepush/v21/operators/DE*CPA/status-records`,
          { ActionType: 'fullLoad', OperatorEvseStatus: { OperatorID: 'DE*CPA', EvseStatusRecord: records } },
          { ca: certs.hub.ca, client: certs.partner('cpo-a').client },
        );
        expect(res.status).toBe(400);
      }
      const kept = recorder.all();
      expect(kept.length).toBeLessThan(10);
      expect(kept.length).toBeGreaterThan(0);
      expect(recorder.droppedCount()).toBe(10 - kept.length);
      expect(kept.reduce((n, x) => n + JSON.stringify(x).length, 0)).toBeLessThanOrEqual(512 * 1024);
      await hub.close();
      await recorder.close();
      expect(readFileSync(join(dir, 't.jsonl'), 'utf8').trim().split('\n')).toHaveLength(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a recording that fails does not cost the partner its answer', () => {
  it('answers the request even when recording the exchange throws', async () => {
    class FailingRecorder extends Recorder {
      override record(): void {
        throw new Error('recording failed on purpose');
      }
    }
    const certs = await testCerts();
    const { logger, lines } = capturingLogger();
    const hub = await startHub({
      world: testWorld(),
      tls: certs.hub,
      clock: createClock(1),
      recorder: new FailingRecorder(),
      logger,
    });
    try {
      const res = await push(hub);
      expect(res.status).toBe(200);
      expect(res.json.StatusCode.Code).toBe('000');
      expect(lines().some((l) => l.msg === 'recording the exchange failed')).toBe(true);
    } finally {
      await hub.close();
    }
  });
});
