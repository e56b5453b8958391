import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type EndpointHandlers, PartnerEndpoint } from '../../../src/partners/kit/endpoint.js';
import { FaultBook } from '../../../src/partners/kit/faults.js';
import type { HubSender } from '../../../src/partners/kit/hub-link.js';
import { Quirks, type ReferenceQuirkName, SLOW_ANSWER_MS } from '../../../src/partners/reference/quirks.js';
import { createClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/log.js';
import { post } from '../../helpers/http.js';
import { remoteStart } from '../../helpers/messages.js';

/**
 * The quirks do what they say at the partner's edges (the self-test shows the harness passes them): these tests
 * make each one happen, so a quirk the catalogue never provokes cannot pass the self-test by doing nothing.
 */

let endpoint: PartnerEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

const SID = 'b2688855-7f00-0002-6d8e-48d883f6abb6';
const PATH = '/oicp/charging/v21/providers/DE-VEM/authorize-remote/start';
const body = { ...remoteStart('DE-VEM', 'DE*ACM*E0001*1'), SessionID: SID };
const handlers: EndpointHandlers = {
  AuthorizeRemoteStart: async (b) =>
    b.EvseID === 'DE*ACM*E0001*1'
      ? { Result: true, StatusCode: { Code: '000' }, SessionID: b.SessionID ?? null }
      : { Result: false, StatusCode: { Code: '603' }, SessionID: b.SessionID ?? null },
};

async function open(...names: ReferenceQuirkName[]): Promise<string> {
  const quirks = new Quirks(names);
  endpoint = new PartnerEndpoint({
    actor: 'cpo',
    handlers: quirks.handlers(handlers),
    faults: new FaultBook(),
    clock: createClock(),
    logger: silentLogger(),
    screen: (op, b, v) => quirks.screen(op, b, v),
    closeAfter: (status, b) => quirks.closeAfter(status, b),
  });
  return new URL(await endpoint.listen()).origin;
}

describe('reference partner quirks', () => {
  it("strictValidator answers a property its model does not know with 422 and the framework's body", async () => {
    const origin = await open('strictValidator');
    const r = await post(`${origin}${PATH}`, { ...body, Color: 'blue' });
    expect(r.status).toBe(422);
    expect(r.json).toEqual({
      detail: [{ loc: ['body', 'Color'], msg: 'extra fields not permitted', type: 'value_error.extra' }],
    });
    expect((await post(`${origin}${PATH}`, body)).status).toBe(200);
    // Without the quirk an unknown property is ignored, as OICP's schemas allow.
    await endpoint!.close();
    const plain = await open();
    expect((await post(`${plain}${PATH}`, { ...body, Color: 'blue' })).status).toBe(200);
  });

  it('closeAfterError sends Connection: close after a Result false, and keeps the connection after a 000', async () => {
    const origin = await open('closeAfterError');
    const agent = new http.Agent({ keepAlive: true });
    const call = (b: unknown) =>
      new Promise<{ connection: string | undefined; json: { Result: boolean } }>((resolve, reject) => {
        const req = http.request(
          `${origin}${PATH}`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ connection: res.headers.connection, json: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(b));
      });
    try {
      const accepted = await call(body);
      expect(accepted).toEqual({ connection: 'keep-alive', json: expect.objectContaining({ Result: true }) });
      const refused = await call({ ...body, EvseID: 'DE*ACM*E0009*1' });
      expect(refused).toEqual({ connection: 'close', json: expect.objectContaining({ Result: false }) });
    } finally {
      agent.destroy();
    }
  });

  it('slowAnswers takes 300 ms of real time before an answer, whatever the clock', async () => {
    const origin = await open('slowAnswers');
    const t = performance.now();
    expect((await post(`${origin}${PATH}`, body)).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(SLOW_ANSWER_MS - 5);
  });

  it('testApi500OnRefusal fails a test action whose call HBS refused, and not one HBS accepted', async () => {
    const quirks = new Quirks(['testApi500OnRefusal']);
    let result = false;
    const hub: HubSender = {
      send: async () => ({ ok: true, body: { Result: result, StatusCode: { Code: result ? '000' : '017' } } }) as never,
    };
    const link = quirks.link(hub);
    const act = () => quirks.testAction(() => link.send('PushEvseStatus', {} as never));
    await expect(act()).rejects.toThrow('HBS refused the call (quirk testApi500OnRefusal)');
    result = true;
    await expect(act()).resolves.toMatchObject({ ok: true });
  });

  it('mandatoryServicesOnly declares authorization, evseData and evseStatus only, and sends no optional operation', async () => {
    const quirks = new Quirks(['mandatoryServicesOnly']);
    expect(
      Object.keys(quirks.serviceTypes({ authorization: 1, evseData: 2, evseStatus: 3, chargingNotifications: 4 })),
    ).toEqual(['authorization', 'evseData', 'evseStatus']);
    const sent: string[] = [];
    const link = quirks.link({
      send: async (op) => {
        sent.push(op);
        return { ok: true, body: { Result: true, StatusCode: { Code: '000' } } } as never;
      },
    });
    await link.send('ChargingNotification', {} as never);
    await link.send('PushEvseStatus', {} as never);
    expect(sent).toEqual(['PushEvseStatus']);
  });
});
