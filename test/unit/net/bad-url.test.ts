import { describe, expect, it } from 'vitest';
import { OicpClient } from '../../../src/net/oicp-client.js';
import { createClock } from '../../../src/shared/clock.js';
import { randomIds } from '../../../src/shared/ids.js';

/** A URL the client cannot send to is a failed exchange that says what is wrong and what URL to give, not a throw. */
describe('OicpClient with a URL it cannot use', () => {
  const client = new OicpClient({ clock: createClock(), ids: randomIds() });
  const send = (url: string) => client.send({ url, operation: 'custom', body: {}, timeoutMs: 1000 });

  it('refuses text that is no URL, naming the form wanted', async () => {
    const result = await send('partner.example/oicp');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(
      /not a valid URL: partner\.example\/oicp \(give an absolute https:\/\//,
    );
  });

  it('refuses a scheme other than http(s), every time it is asked', async () => {
    for (let i = 0; i < 2; i++) {
      const result = await send('ftp://partner.example/oicp');
      expect(result.ok ? '' : result.reason).toMatch(/unsupported URL scheme ftp: in ftp:\/\/partner\.example\/oicp/);
    }
  });
});
