import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessage } from '../../../src/oicp/validate.js';
import { expectHubMessagesValid, startTestHub, type TestHub, testWorld } from '../../helpers/hub.js';
import { evseRecord, pullEvseData, pushEvseData } from '../../helpers/messages.js';

const PUSH = '/evsepush/v23/operators/DE*CPA/data-records';

describe('bad input gets an OICP-shaped answer, is recorded, and never crashes the hub', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(testWorld({ aup: { enabled: true, perMinute: { PullEvseStatus: 2 } } }));
  });
  afterAll(async () => {
    expectHubMessagesValid(t.recorder.all());
    await t.close();
  });
  const last = () => t.recorder.all().at(-1)!;

  it('answers malformed JSON with 400 and 022', async () => {
    const res = await t.call('cpo-a', PUSH, undefined, { raw: '{"ActionType": "fullLoad",' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '022' } });
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/not valid JSON/);
    expect(last().request.body).toBe('{"ActionType": "fullLoad",');
  });

  it('answers a wrong content type with 415 and 022', async () => {
    const res = await t.call('cpo-a', PUSH, pushEvseData('DE*CPA', []), { contentType: 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.json.StatusCode.Code).toBe('022');
  });

  it('answers an oversized body with 413 and 022', async () => {
    const big = pushEvseData(
      'DE*CPA',
      Array.from({ length: 400 }, (_, i) => evseRecord(`DE*CPA*E${i}`)),
    );
    const res = await t.call('cpo-a', PUSH, big);
    expect(res.status).toBe(413);
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/over the hub's limit of 65536 bytes/);
  });

  it('answers an unknown route with 404 and suggests the closest OICP path', async () => {
    const res = await t.call('cpo-a', '/evsepush/v22/operators/DE*CPA/data-records', pushEvseData('DE*CPA', []));
    expect(res.status).toBe(404);
    expect(res.json.StatusCode.AdditionalInfo).toContain(
      'did you mean /api/oicp/evsepush/v23/operators/{operatorID}/data-records',
    );
    expect(last().operation).toBe('unknown');
  });

  it('answers GET on an OICP path with 405', async () => {
    const res = await t.call('cpo-a', PUSH, undefined, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('answers schema violations with 400, 022 and the JSON pointer of each', async () => {
    const body = pushEvseData('DE*CPA', [evseRecord('not-an-evse-id', { Plugs: ['Unspecified'] })]);
    const res = await t.call('cpo-a', PUSH, body);
    expect(res.status).toBe(400);
    expect(res.json.StatusCode.Code).toBe('022');
    expect(res.json.StatusCode.AdditionalInfo).toContain('/OperatorEvseData/EvseDataRecord/0/EvseID');
    expect(res.json.StatusCode.AdditionalInfo).toContain('/OperatorEvseData/EvseDataRecord/0/Plugs/0');
    expect(
      last()
        .violations.filter((v) => v.kind === 'schema')
        .map((v) => v.pointer),
    ).toContain('/OperatorEvseData/EvseDataRecord/0/EvseID');
  });

  it('answers StatusCode-typed refusals in the operation response shape (a pull gets an empty page)', async () => {
    const res = await t.call('emp-a', '/evsepull/v23/providers/DE-EMA/data-records', { ProviderID: 'DE-EMA' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ content: [], totalElements: 0, StatusCode: { Code: '022' } });
  });

  it('keeps AdditionalInfo within its 1000 characters when the refusal quotes a huge value (017, 404)', async () => {
    const huge = 'Ω'.repeat(20_000);
    const mismatch = await t.call('emp-a', '/evsepull/v23/providers/DE-EMA/data-records', pullEvseData(huge));
    expect(mismatch.json.StatusCode.Code).toBe('017');
    const unknown = await t.call('emp-a', `/evsepull/v23/providers/DE-EMA/${'x'.repeat(5_000)}`, {});
    expect(unknown.status).toBe(404);
    for (const res of [mismatch, unknown]) {
      expect(res.json.StatusCode.AdditionalInfo.length).toBeLessThanOrEqual(1000);
      expect(res.json.StatusCode.AdditionalInfo).toMatch(/…$/);
    }
    expect(validateMessage('PullEvseData', 'response', mismatch.json)).toEqual([]);
  });

  it('records unknown properties as warnings without refusing the request', async () => {
    const res = await t.call(
      'emp-a',
      '/evsepull/v23/providers/DE-EMA/data-records',
      pullEvseData('DE-EMA', { OperatorIDs: ['DE*CPA'] }),
    );
    expect(res.status).toBe(200);
    expect(last().violations).toContainEqual(
      expect.objectContaining({ kind: 'unknown-property', pointer: '/OperatorIDs' }),
    );
  });

  it('answers HTTP 429 with Retry-After once a partner exceeds the AUP rate', async () => {
    const pull = () => t.call('emp-a', '/evsepull/v21/providers/DE-EMA/status-records', { ProviderID: 'DE-EMA' });
    expect((await pull()).status).toBe(200);
    expect((await pull()).status).toBe(200);
    const third = await pull();
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(third.json.StatusCode.AdditionalInfo).toMatch(/at most 2 PullEvseStatus calls per minute/);
    expect(last().violations[0]).toMatchObject({ kind: 'aup' });
  });

  it("refuses the calls a scenario throttles with 429 and its Retry-After, not as the partner's violation, then admits again", async () => {
    const path = '/evsepush/v21/operators/DE*CPA/status-records';
    const body = {
      ActionType: 'update',
      OperatorEvseStatus: {
        OperatorID: 'DE*CPA',
        EvseStatusRecord: [{ EvseID: 'DE*CPA*E1', EvseStatus: 'Available' }],
      },
    };
    t.hub.context.aup.throttle('DE*CPA', 'PushEvseStatus', 1, 3_000);
    const refused = await t.call('cpo-a', path, body);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('3');
    expect(refused.json.StatusCode).toMatchObject({
      Code: '021',
      AdditionalInfo: expect.stringContaining('HBS is busy; retry after 3 s'),
    });
    expect(last().violations).toEqual([]);
    expect((await t.call('cpo-a', path, body)).status).toBe(200);
    t.hub.context.aup.throttle('DE*CPA', 'PushEvseStatus', 5, 3_000);
    t.hub.context.aup.clearThrottles();
    expect((await t.call('cpo-a', path, body)).status).toBe(200);
  });

  it('flags a push that arrives while the previous push of the same operation is unanswered', async () => {
    const path = '/evsepush/v21/operators/DE*CPA/status-records';
    const status = (i: number) =>
      JSON.stringify({
        ActionType: 'fullLoad',
        OperatorEvseStatus: {
          OperatorID: 'DE*CPA',
          EvseStatusRecord: [{ EvseID: `DE*CPA*E${i}`, EvseStatus: 'Available' }],
        },
      });
    // The first push stays open mid-body, so the hub has not answered it when the second one arrives.
    const first = status(1);
    const material = t.certs.partner('cpo-a');
    const slow = https.request(`${t.hub.url}${path}`, {
      method: 'POST',
      ca: t.certs.hub.ca,
      cert: material.client.cert,
      key: material.client.key,
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(first) },
    });
    const slowAnswer = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      slow.on('error', reject);
    });
    slow.write(first.slice(0, 10));
    await new Promise((r) => setTimeout(r, 100));
    const second = await t.call('cpo-a', path, JSON.parse(status(2)));
    slow.end(first.slice(10));
    expect(second.status).toBe(200);
    expect(await slowAnswer).toBe(200);
    const flagged = t.recorder.all().filter((x) => x.violations.some((v) => /must be sequential/.test(v.message)));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.request.body).toMatchObject({
      OperatorEvseStatus: { EvseStatusRecord: [{ EvseID: 'DE*CPA*E2' }] },
    });
    const sequential = await t.call('cpo-a', path, JSON.parse(status(3)));
    expect(sequential.status).toBe(200);
    expect(t.recorder.all().at(-1)!.violations).toEqual([]);
  });

  it('keeps serving after all of the above', async () => {
    const res = await t.call('cpo-a', PUSH, pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]));
    expect(res.json.StatusCode.Code).toBe('000');
  });
});
