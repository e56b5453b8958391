import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EngineContext, triggerTimeoutMs } from '../../../src/harness/scenario/engine.js';
import { EngineError, TriggerFailed } from '../../../src/harness/scenario/engine-error.js';
import type { PartnerProfile } from '../../../src/harness/scenario/profile.js';
import { fireTrigger, fireTriggers } from '../../../src/harness/scenario/triggers.js';
import { createClock } from '../../../src/shared/clock.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';

/**
 * Triggers make the partner act: an HTTP call to its own test API (body template, or else the step's `with`
 * values; a refusal or an unreachable API is a TriggerFailed, named, which the engine judges by what reached HBS),
 * a prompt to a person at the terminal (with nobody there, the harness's error: the item needs a person), or, with
 * neither, a note that the harness waits for the partner to act by itself.
 */

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let certs: TestCerts;
let plain: http.Server;
let secure: https.Server;
const received: Received[] = [];
const base = { plain: '', secure: '' };

function record(req: http.IncomingMessage, res: http.ServerResponse): void {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const answer = (): void =>
      void res.writeHead(req.url?.startsWith('/refuse') ? 409 : 200, { 'content-type': 'application/json' }).end('{}');
    if (req.url?.startsWith('/slow')) setTimeout(answer, 1_000);
    else answer();
  });
}

beforeAll(async () => {
  certs = await makeTestCerts([{ key: 'acme', id: 'DE*ACM', role: 'CPO', name: 'ACME' }]);
  plain = http.createServer(record);
  const server = certs.partner('acme').server;
  secure = https.createServer({ key: server.key, cert: server.cert }, record);
  await Promise.all([plain, secure].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  base.plain = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  base.secure = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all([plain, secure].map((s) => new Promise<void>((r) => s.close(() => r()))));
  await certs.cleanup();
});

function ctx(triggers: PartnerProfile['triggers'], extra: Partial<EngineContext> = {}): EngineContext {
  return { profile: { triggers } as PartnerProfile, ...extra } as EngineContext;
}
const vars = {
  partner: { id: 'DE*ACM', evseIds: ['DE*ACM*E0001*1'] },
  sessionId: 'b2688855-7f00-0002-6d8e-48d883f6abb6',
};
const last = (): Received => received.at(-1)!;

describe('HTTP triggers', () => {
  it("send the step's with values as the JSON body when the trigger has no body template", async () => {
    const note = await fireTrigger(
      'swipe',
      { evseId: 'DE*ACM*E0001*1', uid: '0A1B2C3D' },
      vars,
      ctx({ swipe: { http: { url: `${base.plain}/test/swipe` } } }),
    );
    expect(note).toBeUndefined();
    expect(last()).toMatchObject({ method: 'POST', url: '/test/swipe' });
    expect(last().headers['content-type']).toBe('application/json');
    expect(JSON.parse(last().body)).toEqual({ evseId: 'DE*ACM*E0001*1', uid: '0A1B2C3D' });
  });

  it('fill a body template, URL and headers from the with values, captures and the profile', async () => {
    const trigger = {
      http: {
        url: `${base.plain}/api/{{partner.id}}/stop?session={{sessionId}}`,
        method: 'PUT',
        headers: { 'x-api-key': 'k-{{partner.id}}' },
        body: { evse: '{{evseId}}', session: '{{sessionId}}', first: '{{partner.evseIds[0]}}' },
      },
    };
    await fireTrigger('remoteStop', { evseId: 'DE*ACM*E0001*1' }, vars, ctx({ remoteStop: trigger }));
    expect(last()).toMatchObject({
      method: 'PUT',
      url: '/api/DE*ACM/stop?session=b2688855-7f00-0002-6d8e-48d883f6abb6',
    });
    expect(last().headers['x-api-key']).toBe('k-DE*ACM');
    expect(JSON.parse(last().body)).toEqual({
      evse: 'DE*ACM*E0001*1',
      session: vars.sessionId,
      first: 'DE*ACM*E0001*1',
    });
  });

  it('send no body when there is neither a template nor with values', async () => {
    await fireTrigger(
      'pushEvseStatus',
      {},
      vars,
      ctx({ pushEvseStatus: { http: { url: `${base.plain}/test/push-evse-status` } } }),
    );
    expect(last().body).toBe('');
    expect(last().headers['content-type']).toBeUndefined();
  });

  it('trust the CAs the run gives over HTTPS (the local CA), and name the failure without them', async () => {
    const trigger = { secure: { http: { url: `${base.secure}/test/swipe` } } };
    await fireTrigger('secure', { uid: '0A1B2C3D' }, vars, ctx(trigger, { triggerCa: [certs.hub.ca] }));
    expect(last().url).toBe('/test/swipe');
    await expect(fireTrigger('secure', {}, vars, ctx(trigger))).rejects.toThrow(
      new RegExp(`trigger secure: ${base.secure}/test/swipe could not be called: .*certificate`),
    );
  });

  it("turn a refusal or an unreachable test API into the harness's error, naming the URL, the status and the body", async () => {
    const refused = await fireTrigger('t', {}, vars, ctx({ t: { http: { url: `${base.plain}/refuse` } } })).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TriggerFailed);
    expect((refused as TriggerFailed).message).toBe(
      `trigger t: ${base.plain}/refuse answered HTTP 409 (body: {}); the partner's test API did not take the order`,
    );
    expect((refused as TriggerFailed).status).toBe(409);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(
      fireTrigger('t', {}, vars, ctx({ t: { http: { url: `http://127.0.0.1:${port}/x` } } })),
    ).rejects.toThrow(/could not be called: .*ECONNREFUSED/);
  });
});

describe('one trigger per call', () => {
  it("pullPricing fires the profile's pullPricingProductData, then pullEvsePricing, when it has no pullPricing of its own", async () => {
    const before = received.length;
    const triggers = {
      pullPricingProductData: { http: { url: `${base.plain}/test/pull-products` } },
      pullEvsePricing: { http: { url: `${base.plain}/test/pull-evse-pricing` } },
    };
    expect(await fireTriggers('pullPricing', { operatorIds: ['DE*VCP'] }, vars, ctx(triggers))).toBeUndefined();
    expect(received.slice(before).map((r) => [r.url, JSON.parse(r.body)])).toEqual([
      ['/test/pull-products', { operatorIds: ['DE*VCP'] }],
      ['/test/pull-evse-pricing', { operatorIds: ['DE*VCP'] }],
    ]);
    await fireTriggers(
      'pullPricing',
      {},
      vars,
      ctx({ ...triggers, pullPricing: { http: { url: `${base.plain}/test/pull-pricing` } } }),
    );
    expect(last().url).toBe('/test/pull-pricing');
  });

  it('a delta pull goes to pullEvseDataDelta when the profile gives one; a full pull to pullEvseData', async () => {
    const triggers = {
      pullEvseData: { http: { url: `${base.plain}/test/pull-full` } },
      pullEvseDataDelta: { http: { url: `${base.plain}/test/pull-delta` } },
    };
    await fireTriggers('pullEvseData', { delta: true, size: 2 }, vars, ctx(triggers));
    expect([last().url, JSON.parse(last().body)]).toEqual(['/test/pull-delta', { size: 2 }]);
    await fireTriggers('pullEvseData', {}, vars, ctx(triggers));
    expect(last().url).toBe('/test/pull-full');
    await fireTriggers('pullEvseData', { delta: true }, vars, ctx({ pullEvseData: triggers.pullEvseData }));
    expect([last().url, JSON.parse(last().body)]).toEqual(['/test/pull-full', { delta: true }]);
  });
});

describe('how long a trigger is awaited', () => {
  it('the answer is awaited as long as the caller says, and no longer', async () => {
    await expect(fireTrigger('t', {}, vars, ctx({ t: { http: { url: `${base.plain}/slow` } } }), 200)).rejects.toThrow(
      `trigger t: ${base.plain}/slow could not be called: no answer within 200 ms`,
    );
    expect(
      await fireTrigger('t', {}, vars, ctx({ t: { http: { url: `${base.plain}/slow` } } }), 5_000),
    ).toBeUndefined();
  });

  it("the engine waits out HBS's longest timeout (a remote start, scaled) plus a margin, whatever the time scale", () => {
    const engine = (scale: number) =>
      ({
        hub: { settings: { timeouts: { remoteStartMs: 60_000, authorizeMs: 10_000, forwardMs: 30_000 } } },
        clock: createClock(scale),
      }) as unknown as EngineContext;
    // At time scale 1 a test API that answers once HBS gave up on a CPO (EMP-07) answers after 60 s.
    expect(triggerTimeoutMs(engine(1))).toBeGreaterThanOrEqual(60_000 + 10_000);
    expect(triggerTimeoutMs(engine(0.01))).toBeGreaterThanOrEqual(600 + 10_000);
  });
});

describe('prompts and missing triggers', () => {
  it('ask the person at the terminal with placeholders filled, and wait for the answer', async () => {
    const prompt = vi.fn(async () => undefined);
    const note = await fireTrigger(
      'setStatus',
      { evseId: 'DE*ACM*E0001*1', status: 'OutOfService' },
      vars,
      ctx({ setStatus: { prompt: 'Set {{evseId}} to {{status}} now' } }, { prompt }),
    );
    expect(prompt).toHaveBeenCalledWith('Set DE*ACM*E0001*1 to OutOfService now');
    expect(note).toBeUndefined();
  });

  it('with nobody at a terminal (CI) refuse a prompt as needing a person; without a trigger say the harness waits', async () => {
    const refused = await fireTrigger(
      'setStatus',
      { evseId: 'E1', status: 'Available' },
      vars,
      ctx({ setStatus: { prompt: 'Set {{evseId}} to {{status}}' } }),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).code).toBe('NEEDS_PERSON');
    expect((refused as EngineError).message).toBe(
      'needs a person: trigger setStatus is a prompt ("Set E1 to Available"); give an http trigger in the partner profile or run in a terminal',
    );
    const before = received.length;
    expect(await fireTrigger('reportError', {}, vars, ctx({}))).toBe(
      'the profile has no trigger "reportError": waiting for the partner to act by itself',
    );
    expect(received.length).toBe(before);
  });
});
