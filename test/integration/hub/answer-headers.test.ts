import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../../helpers/http.js';
import { startTestHub, type TestHub } from '../../helpers/hub.js';
import { evseRecord, pullEvseData, pushEvseData } from '../../helpers/messages.js';

describe('how the hub writes its OICP answers', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(() => t.close());

  it('answers JSON with its length and no ETag (a POST answer is never revalidated)', async () => {
    await t.call(
      'cpo-a',
      '/evsepush/v23/operators/DE*CPA/data-records',
      pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]),
    );
    const res = await t.call('emp-a', '/evsepull/v23/providers/DE-EMA/data-records', pullEvseData('DE-EMA'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers.etag).toBeUndefined();
    expect(res.json.content).toHaveLength(1);
  });

  it('answers a refusal with its headers (Allow on 405) the same way', async () => {
    const res = await t.call('emp-a', '/evsepull/v23/providers/DE-EMA/data-records', pullEvseData('DE-EMA'), {
      method: 'PUT',
    });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.headers.etag).toBeUndefined();
    expect(res.json.StatusCode.Code).toBe('022');
  });

  it('still serves the routes mounted beside the OICP ones (the monitor)', async () => {
    const res = await post(`${t.hub.origin}/monitor`, undefined, {
      method: 'GET',
      ca: t.certs.hub.ca,
      client: t.certs.partner('emp-a').client,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});
