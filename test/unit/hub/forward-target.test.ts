import { describe, expect, it } from 'vitest';
import type { Partner } from '../../../src/config/world/types.js';
import { Forwarder } from '../../../src/hub/forward.js';
import type { OicpClient } from '../../../src/net/oicp-client.js';
import { createClock } from '../../../src/shared/clock.js';

const TIMEOUTS = { authorizeMs: 10_000, remoteStartMs: 60_000, forwardMs: 30_000 };
// target() only reads the partner's settings; the client is never called here.
const forwarder = new Forwarder({} as OicpClient, createClock(1), undefined, TIMEOUTS);

const cpo = (serviceUrl: string): Partner => ({
  key: 'cpo',
  id: 'DE*CPA',
  role: 'CPO',
  name: 'CPO',
  locked: false,
  subPartnerIds: [],
  serviceTypes: {
    authorization: { onlineRequest: true, broadcast: false, operationUrls: {}, clientCertification: true, serviceUrl },
  },
});

describe('where HBS forwards an operation', () => {
  it('appends the OICP path to the Service URL', () => {
    expect(
      forwarder.target(cpo('https://cpo.example/oicp/'), 'AuthorizeRemoteStart', { providerID: 'DE-EMA' }),
    ).toEqual({
      url: 'https://cpo.example/oicp/charging/v21/providers/DE-EMA/authorize-remote/start',
    });
  });

  it('keeps a query string of the Service URL after the path, not before it', () => {
    expect(
      forwarder.target(cpo('https://cpo.example/oicp?tenant=7'), 'AuthorizeRemoteStart', { providerID: 'DE-EMA' }),
    ).toEqual({
      url: 'https://cpo.example/oicp/charging/v21/providers/DE-EMA/authorize-remote/start?tenant=7',
    });
  });
});
