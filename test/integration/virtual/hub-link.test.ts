import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestOf } from '../../../src/oicp/messages.js';
import { HubLink, type HubLinkOptions } from '../../../src/partners/kit/hub-link.js';
import { createClock } from '../../../src/shared/clock.js';
import { randomIds } from '../../../src/shared/ids.js';

/**
 * A partner's calls to HBS after a 429 Too Many Requests: by default it waits the Retry-After (real seconds, an
 * HTTP header) and sends again, as often as HBS answers 429; a shutdown ends that wait at once.
 */

let server: http.Server;
let hubUrl = '';
/** When each request arrived (ms), and how many to refuse with 429 before answering 200. */
const arrivals: number[] = [];
let refuse = 0;
let retryAfter = '1';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(performance.now());
      const refused = refuse > 0;
      if (refused) refuse -= 1;
      res.writeHead(refused ? 429 : 200, {
        'content-type': 'application/json',
        ...(refused ? { 'retry-after': retryAfter } : {}),
      });
      res.end(JSON.stringify({ Result: !refused, StatusCode: { Code: refused ? '021' : '000' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/oicp`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  arrivals.length = 0;
});

const link = (extra: Partial<HubLinkOptions> = {}) =>
  new HubLink({
    hubUrl,
    partnerId: 'DE*ACM',
    role: 'CPO',
    clock: createClock(),
    ids: randomIds(),
    timeoutMs: 10_000,
    ...extra,
  });
const push = (): RequestOf<'PushEvseStatus'> => ({
  ActionType: 'update',
  OperatorEvseStatus: { OperatorID: 'DE*ACM', EvseStatusRecord: [{ EvseID: 'DE*ACM*E1', EvseStatus: 'Available' }] },
});

describe('HubLink after a 429', () => {
  it('waits the Retry-After, then sends once more', async () => {
    refuse = 1;
    retryAfter = '1';
    const l = link();
    const answer = await l.send('PushEvseStatus', push());
    l.close();
    expect(answer.ok && answer.body.Result).toBe(true);
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(990);
  });

  it('keeps backing off while HBS answers 429: the third attempt, after two Retry-Afters, is accepted', async () => {
    refuse = 2;
    retryAfter = '1';
    const l = link();
    const answer = await l.send('PushEvseStatus', push());
    l.close();
    expect(answer.ok && answer.body.Result).toBe(true);
    expect(arrivals).toHaveLength(3);
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(990);
  });

  it("retries at once or gives up when told to (the reference partners' faults)", async () => {
    refuse = 1;
    retryAfter = '30';
    const now = link({ on429: () => 'retry-now' });
    expect((await now.send('PushEvseStatus', push())).ok).toBe(true);
    now.close();
    expect(arrivals).toHaveLength(2);
    refuse = 1;
    const never = link({ on429: () => 'give-up' });
    expect(await never.send('PushEvseStatus', push())).toMatchObject({ ok: false, status: 429 });
    never.close();
    expect(arrivals).toHaveLength(3);
  });

  it('interrupt() ends a long Retry-After wait: the call returns its 429 and sends nothing more', async () => {
    refuse = 1;
    retryAfter = '60';
    const l = link();
    const started = performance.now();
    const pending = l.send('PushEvseStatus', push());
    while (arrivals.length === 0) await new Promise((r) => setTimeout(r, 10));
    l.interrupt();
    expect(await pending).toMatchObject({ ok: false, status: 429 });
    expect(performance.now() - started).toBeLessThan(5_000);
    l.close();
    refuse = 0;
    expect(arrivals).toHaveLength(1);
  });
});
