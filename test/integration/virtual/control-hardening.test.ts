import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostOptions, post } from '../../helpers/http.js';
import { eventually, startVirtualWorld, type VirtualWorld } from '../../helpers/virtual.js';

/**
 * /_sim and the monitor against inputs nobody meant: a malformed percent-encoding in a path parameter and an
 * oversized body are the caller's 400/413 SIM_INPUT (not 500 INTERNAL); a state-changing request a web page could
 * send cross-site (no JSON content type, a foreign Origin) is refused; a Host header that is not this machine (DNS
 * rebinding) is refused. The hub runs plain HTTP here (`--transport http`), where nothing else stands in the way.
 * And get-cdrs passes page and size on to HBS.
 */
let w: VirtualWorld;
let origin = '';
beforeAll(async () => {
  w = await startVirtualWorld({ hub: { transport: 'http' } });
  origin = new URL(w.hub.url).origin;
});
afterAll(() => w.close());

const sim = (path: string, body?: unknown, options: PostOptions = {}) => post(`${origin}/_sim${path}`, body, options);
const evse = () =>
  w.actors
    .station('virtual-cpo')!
    .view()
    .find((e) => e.EvseID === 'DE*VCP*E0001*2')!;

describe('/_sim input it cannot use', () => {
  const malformed = [
    ['GET', '/evses/DE%ZZ'],
    ['POST', '/evses/DE*VCP*E0001*1%/plug'],
    ['POST', '/evses/%E0%A4%A/swipe'],
    ['GET', '/emps/%/cdrs'],
    ['POST', '/emps/virtual%2/remote-start'],
    ['GET', '/stations/%C0%80/activity'],
    ['DELETE', '/faults/%zz'],
  ] as const;
  for (const [method, path] of malformed) {
    it(`${method} ${path}: 400 SIM_INPUT naming the percent-encoding`, async () => {
      const r = await sim(path, method === 'POST' ? {} : undefined, { method });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'SIM_INPUT', message: expect.stringContaining('percent-encoding') });
    });
  }

  it('a body over 256 KB: 413 SIM_INPUT', async () => {
    const r = await sim('/faults', { kind: 'reject', code: '602', padding: 'x'.repeat(300 * 1024) });
    expect(r.status).toBe(413);
    expect(r.json.error).toMatchObject({ code: 'SIM_INPUT', message: expect.stringContaining('256 KB') });
  });

  it('a body that does not decompress as its content-encoding says: 400 SIM_INPUT, not 500', async () => {
    for (const [path, method, raw] of [
      ['/faults', 'POST', '{"kind":"reject","code":"602"}'],
      ['/evses/DE*VCP*E0001*2/plug', 'POST', ''],
      ['/emps', 'GET', ''],
    ] as const) {
      const r = await sim(path, undefined, { method, raw, headers: { 'content-encoding': 'gzip' } });
      expect(r.status, `${method} ${path}`).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'SIM_INPUT', message: expect.stringContaining('content-encoding') });
    }
  });

  it('a delay past what a timer holds (1e400 is Infinity in JSON): 400 SIM_INPUT, not an immediate answer', async () => {
    for (const raw of ['{"kind":"delay","delayMs":1e400}', '{"kind":"delay","delayMs":1e12}']) {
      const r = await sim('/faults', undefined, { raw });
      expect(r.status, raw).toBe(400);
      expect(r.json.error.fieldErrors[0].path).toBe('/delayMs');
    }
  });

  it('page and size that are not whole numbers in range: 400 SIM_INPUT', async () => {
    for (const body of [{ size: 0 }, { size: 2001 }, { page: -1 }, { page: 1.5 }, { size: '2' }]) {
      const r = await sim('/emps/virtual-emp/get-cdrs', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('SIM_INPUT');
    }
  });

  it('PullEvseData filters that do not fit the OICP request: 400 SIM_INPUT naming the field, and nothing sent to HBS', async () => {
    const before = w.hub.context.recorder.all().filter((x) => x.operation === 'PullEvseData').length;
    const r = await sim('/emps/virtual-emp/pull-evse-data', { CountryCodes: 'DE' });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'SIM_INPUT', message: expect.stringContaining('/CountryCodes') });
    expect(w.hub.context.recorder.all().filter((x) => x.operation === 'PullEvseData')).toHaveLength(before);
    const ok = await sim('/emps/virtual-emp/pull-evse-data', { CountryCodes: ['DEU'], size: 1 });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
  });
});

describe('/_sim refuses what a web page could send cross-site', () => {
  it('a POST without a JSON content type (a form, or no body) is refused and not carried out', async () => {
    const r = await sim('/evses/DE*VCP*E0001*2/plug', undefined, { contentType: null });
    expect(r.status).toBe(415);
    expect(r.json.error).toMatchObject({
      code: 'SIM_INPUT',
      message: expect.stringContaining('content-type: application/json'),
    });
    const form = await sim('/evses/DE*VCP*E0001*2/plug', undefined, {
      contentType: 'application/x-www-form-urlencoded',
      raw: 'a=1',
    });
    expect(form.status).toBe(415);
    expect(evse().plugged).toBe(false);
  });

  it('a POST from a foreign Origin is refused even as JSON', async () => {
    const r = await sim('/evses/DE*VCP*E0001*2/plug', undefined, { headers: { origin: 'https://attacker.example' } });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('CROSS_SITE');
    expect(evse().plugged).toBe(false);
  });

  it('curl with the JSON content type, or x-hbs-sim for an empty POST, still works; GETs need neither', async () => {
    expect(
      (await sim('/evses/DE*VCP*E0001*2/plug', undefined, { contentType: null, headers: { 'x-hbs-sim': '1' } })).json
        .plugged,
    ).toBe(true);
    expect((await sim('/evses/DE*VCP*E0001*2/unplug')).json.plugged).toBe(false);
    expect((await sim('', undefined, { method: 'GET', contentType: null })).status).toBe(200);
  });
});

describe('Host header check (DNS rebinding)', () => {
  it('/_sim and /monitor refuse a Host that is not this machine', async () => {
    for (const url of [`${origin}/_sim`, `${origin}/monitor/api/exchanges`, `${origin}/monitor`]) {
      const r = await post(url, undefined, {
        method: 'GET',
        contentType: null,
        headers: { host: 'rebound.attacker.example' },
      });
      expect(r.status, url).toBe(403);
      expect(r.json.error.code).toBe('HOST_NOT_ALLOWED');
    }
  });

  it('loopback names are fine', async () => {
    const port = new URL(origin).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost']) {
      expect(
        (
          await post(`${origin}/monitor/api/exchanges`, undefined, {
            method: 'GET',
            contentType: null,
            headers: { host },
          })
        ).status,
        host,
      ).toBe(200);
      expect((await sim('', undefined, { method: 'GET', contentType: null, headers: { host } })).status, host).toBe(
        200,
      );
    }
  });
});

describe('/_sim/emps/{key}/get-cdrs', () => {
  it('passes page and size on to GetChargeDetailRecords', async () => {
    const emp = w.actors.emp('virtual-emp')!;
    const station = w.actors.station('virtual-cpo')!;
    const evseId = 'DE*VCP*E0001*1';
    for (let i = 0; i < 3; i++) {
      const start = await emp.remoteStart({ evseId });
      expect(start.ok && start.body.Result, `session ${i + 1}`).toBe(true);
      const sid = start.ok ? start.body.SessionID! : '';
      await eventually(
        () => station.view().find((e) => e.EvseID === evseId)?.session?.phase === 'charging',
        5000,
        'charging',
      );
      await emp.remoteStop({ sessionId: sid, evseId });
      await eventually(() => emp.receivedCdrs().some((c) => c.cdr.SessionID === sid), 5000, 'CDR');
      if (station.view().find((e) => e.EvseID === evseId)?.plugged) station.unplug(evseId);
      await eventually(
        () => station.view().find((e) => e.EvseID === evseId)?.status === 'Available',
        5000,
        'Available',
      );
    }
    const r = await sim('/emps/virtual-emp/get-cdrs', { page: 1, size: 2 });
    expect(r.status).toBe(200);
    expect(r.json.body).toMatchObject({ number: 1, size: 2, totalElements: 3, totalPages: 2, numberOfElements: 1 });
    expect(r.json.body.content).toHaveLength(1);
  });
});
