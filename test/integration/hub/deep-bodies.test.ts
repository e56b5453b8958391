import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, startHub } from '../../../src/hub/server.js';
import { MAX_JSON_DEPTH } from '../../../src/oicp/limits.js';
import { validateMessage } from '../../../src/oicp/validate.js';
import { createClock } from '../../../src/shared/clock.js';
import { post } from '../../helpers/http.js';
import {
  type FakePartner,
  startFakePartner,
  startTestHub,
  type TestHub,
  testCerts,
  testWorld,
} from '../../helpers/hub.js';
import {
  authorized,
  authorizeStart,
  cdr,
  evseRecord,
  getCdrs,
  pullEvseData,
  pushEvseData,
  remoteStart,
} from '../../helpers/messages.js';
import { nestedArrays } from '../../helpers/raw-request.js';

const START = '/charging/v21/operators/DE*CPA/authorize/start';
const PUSH = '/evsepush/v23/operators/DE*CPA/data-records';
const PULL = '/evsepull/v23/providers/DE-EMA/data-records';
const CDR = '/cdrmgmt/v22/operators/DE*CPA/charge-detail-record';
const GET_CDRS = '/cdrmgmt/v22/providers/DE-EMA/get-charge-detail-records-request';
const REMOTE = '/charging/v21/providers/DE-EMA/authorize-remote/start';

/** `message` as JSON text with an unknown property nesting `depth` arrays deep put where `at` says. */
function withDeepProperty(message: unknown, depth: number, at: (m: any) => any = (m) => m): string {
  const copy = JSON.parse(JSON.stringify(message));
  at(copy).Nest = '@@DEEP@@';
  return JSON.stringify(copy).replace('"@@DEEP@@"', nestedArrays(depth));
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

describe('a deeply nested body (about 10 KB, 5,000 levels) is refused at the door and harms nothing after it', () => {
  let t: TestHub;
  let empB: FakePartner;
  let cpo: FakePartner;
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    t = await startTestHub(testWorld({ timeouts: { authorizeMs: 1000, remoteStartMs: 1000, forwardMs: 1000 } }));
    empB = await startFakePartner(t.certs, 'emp-b', (_p, b) => ({ body: authorized('DE-EMB', b.SessionID) }));
    cpo = await startFakePartner(t.certs, 'cpo-a', (_p, b) => ({
      body: { Result: true, StatusCode: { Code: '000' }, SessionID: b.SessionID },
    }));
    t.hub.context.directory.setServiceUrl('emp-b', 'authorization', empB.url);
    t.hub.context.directory.setServiceUrl('cpo-a', 'authorization', cpo.url);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await empB.close();
    await cpo.close();
    await t.close();
  });

  it('answers a deep AuthorizeStart with 400 NotAuthorized 022, without calling any EMP, and stays up', async () => {
    const asked = empB.received.length;
    const raw = withDeepProperty(authorizeStart('DE*CPA', 'AABBCCDD'), 5000);
    expect(raw.length).toBeLessThan(11_000);
    const res = await t.call('cpo-a', START, undefined, { raw });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '022' } });
    expect(res.json.StatusCode.AdditionalInfo).toMatch(new RegExp(`nested more than ${MAX_JSON_DEPTH} levels deep`));
    expect(validateMessage('AuthorizeStart', 'response', res.json).filter((v) => v.severity === 'error')).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(empB.received.length).toBe(asked);
    expect(unhandled).toEqual([]);
    const next = await t.call('cpo-a', START, authorizeStart('DE*CPA', 'AABBCCDD'));
    expect(next.json).toMatchObject({ AuthorizationStatus: 'Authorized', ProviderID: 'DE-EMB' });
    // The refused request is recorded with its text, not a parsed tree nobody could serialize.
    const refused = t.recorder.all().find((x) => x.response?.status === 400 && x.operation === 'AuthorizeStart')!;
    expect(typeof refused.request.body).toBe('string');
    expect(() => JSON.stringify(t.recorder.all())).not.toThrow();
  });

  it('still forwards a body nested exactly as deep as the limit allows', async () => {
    // The message itself is 3 levels deep (root, Identification, RFIDMifareFamilyIdentification); Nest adds the rest.
    const raw = withDeepProperty(authorizeStart('DE*CPA', 'AABBCCDD'), MAX_JSON_DEPTH - 1);
    const res = await t.call('cpo-a', START, undefined, { raw });
    expect(res.status).toBe(200);
    expect(res.json.AuthorizationStatus).toBe('Authorized');
    const over = await t.call('cpo-a', START, undefined, {
      raw: withDeepProperty(authorizeStart('DE*CPA', 'AABBCCDD'), MAX_JSON_DEPTH),
    });
    expect(over.status).toBe(400);
  });

  it('refuses a deep EVSE record, so every EMP can still pull EVSE data', async () => {
    const raw = withDeepProperty(
      pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]),
      5000,
      (m) => m.OperatorEvseData.EvseDataRecord[0],
    );
    const push = await t.call('cpo-a', PUSH, undefined, { raw });
    expect(push.status).toBe(400);
    expect(push.json).toMatchObject({ Result: false, StatusCode: { Code: '022' } });
    const pull = await t.call('emp-a', PULL, pullEvseData('DE-EMA'));
    expect(pull.status).toBe(200);
    expect(pull.json.StatusCode.Code).toBe('000');
  });

  it('refuses a deep CDR, so GetChargeDetailRecords still answers and no CDR stays PENDING', async () => {
    const start = await t.call('emp-a', REMOTE, remoteStart('DE-EMA', 'DE*CPA*E1'));
    const sessionId = start.json.SessionID as string;
    expect(sessionId).toBeTruthy();
    const raw = withDeepProperty(cdr(sessionId, 'DE*CPA*E1'), 5000);
    const res = await t.call('cpo-a', CDR, undefined, { raw });
    expect(res.status).toBe(400);
    expect(t.hub.context.state.cdrs.forSession(sessionId)).toBeUndefined();
    const got = await t.call('emp-a', GET_CDRS, getCdrs('DE-EMA'));
    expect(got.status).toBe(200);
    expect(got.json.StatusCode.Code).toBe('000');
  });

  it('keeps the monitor list, search, CSV and detail answering JSON/CSV after deep requests', async () => {
    const ca = t.certs.hub.ca;
    const monitor = (path: string) =>
      post(`${t.hub.origin}/monitor${path}`, undefined, { method: 'GET', ca, contentType: null });
    const list = await monitor('/api/exchanges?limit=1000');
    expect(list.status).toBe(200);
    const search = await monitor('/api/exchanges?q=Nest');
    expect(search.status).toBe(200);
    expect(search.json.items.length).toBeGreaterThan(0);
    const csv = await monitor('/api/exchanges.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    for (const row of search.json.items as Array<{ id: string }>) {
      const detail = await monitor(`/api/exchanges/${row.id}`);
      expect(detail.status).toBe(200);
      expect(detail.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(unhandled).toEqual([]);
  });
});

describe('with a transcript, a deep request is refused with 400 like any other, and recorded', () => {
  let hub: Hub;
  let dir: string;
  let closed = false;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hbs-deep-'));
    const certs = await testCerts();
    hub = await startHub({
      world: testWorld({ transcriptPath: join(dir, 'transcript.jsonl') }),
      tls: certs.hub,
      clock: createClock(1),
    });
  });
  afterAll(async () => {
    if (!closed) await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 400 (not 500) and writes one line per exchange', async () => {
    const certs = await testCerts();
    const raw = withDeepProperty(pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]), 5000);
    const res = await post(`${hub.url}${PUSH}`, undefined, {
      raw,
      ca: certs.hub.ca,
      client: certs.partner('cpo-a').client,
    });
    expect(res.status).toBe(400);
    const ok = await post(`${hub.url}${PUSH}`, pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]), {
      ca: certs.hub.ca,
      client: certs.partner('cpo-a').client,
    });
    expect(ok.status).toBe(200);
    await hub.close();
    closed = true;
    const lines = readFileSync(join(dir, 'transcript.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!).response.status).toBe(400);
  });
});

describe('EVSE data the world holds keeps the same depth limit', () => {
  it('refuses to start with a deeply nested held record, naming it', async () => {
    const certs = await testCerts();
    const record = { ...evseRecord('DE*CPA*E9'), Nest: JSON.parse(nestedArrays(5000)) };
    // A world the loader would refuse: the hub must refuse it too.
    const world = { ...testWorld(), evseData: { 'DE*CPA': [record] } } as unknown as ReturnType<typeof testWorld>;
    await expect(startHub({ world, tls: certs.hub, clock: createClock(1) })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      fieldErrors: [
        expect.objectContaining({
          path: '/EvseDataRecord/0',
          message: expect.stringMatching(/nested deeper than an EVSE record may be/),
        }),
      ],
    });
  });
});
