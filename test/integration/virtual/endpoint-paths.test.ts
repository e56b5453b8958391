import { afterEach, describe, expect, it } from 'vitest';
import { type EndpointHandlers, type EndpointOptions, PartnerEndpoint } from '../../../src/partners/kit/endpoint.js';
import { FaultBook } from '../../../src/partners/kit/faults.js';
import { createClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/log.js';
import { post } from '../../helpers/http.js';
import { remoteStart } from '../../helpers/messages.js';

/**
 * Where a partner's endpoint answers: the standard OICP paths under any prefix, or — for a backend with URLs of
 * its own design — exactly the paths it registered, query strings aside.
 */

let endpoint: PartnerEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

const SID = 'b2688855-7f00-0002-6d8e-48d883f6abb6';
const started: string[] = [];
const handlers: EndpointHandlers = {
  AuthorizeRemoteStart: async (b) => {
    started.push(b.EvseID);
    return { Result: true, StatusCode: { Code: '000' }, SessionID: b.SessionID ?? null };
  },
};
const body = { ...remoteStart('DE-VEM', 'DE*ACM*E0001*1'), SessionID: SID };

async function open(paths?: EndpointOptions['paths']): Promise<string> {
  endpoint = new PartnerEndpoint({
    actor: 'cpo',
    handlers,
    faults: new FaultBook(),
    clock: createClock(),
    logger: silentLogger(),
    ...(paths ? { paths } : {}),
  });
  return new URL(await endpoint.listen()).origin;
}

describe('partner endpoint paths', () => {
  it('serves the standard OICP path under any prefix by default', async () => {
    const origin = await open();
    const r = await post(`${origin}/any/prefix/charging/v21/providers/DE-VEM/authorize-remote/start`, body);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ Result: true, SessionID: SID });
  });

  it('with own paths: answers there whatever the query, and 404 at the standard path', async () => {
    const origin = await open({ AuthorizeRemoteStart: '/partner-api/authorize-remote-start' });
    const before = started.length;
    const r = await post(`${origin}/partner-api/authorize-remote-start?operatorID=DE*ACM&via=hbs`, body);
    expect(r.status).toBe(200);
    expect(started.length).toBe(before + 1);
    const standard = await post(`${origin}/oicp/charging/v21/providers/DE-VEM/authorize-remote/start`, body);
    expect(standard.status).toBe(404);
    expect(standard.json.message).toContain(
      'serves no OICP operation at /oicp/charging/v21/providers/DE-VEM/authorize-remote/start',
    );
    expect((await post(`${origin}/x/partner-api/authorize-remote-start`, body)).status).toBe(404);
    expect(started.length).toBe(before + 1);
  });
});
