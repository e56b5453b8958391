import { describe, expect, it } from 'vitest';
import { REDACTED, redactHeaders, redactText, redactUrl } from '../../../src/shared/redact.js';

describe('the one redaction list', () => {
  it('hides header values by name (key, token, secret, auth, cookie) and by value (Bearer, Basic)', () => {
    const secret = [
      'x-api-key',
      'proxy-authorization',
      'x-auth-token',
      'x-client-secret',
      'authorization',
      'cookie',
      'set-cookie',
      'x-password',
      'api_key',
    ];
    const kept = {
      'content-type': 'application/json',
      'content-length': '12',
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      accept: '*/*',
      host: 'hub',
      expect: '100-continue',
    };
    const headers = { ...Object.fromEntries(secret.map((h) => [h, 'v'])), ...kept, 'x-trace': 'Bearer abc' };
    expect(redactHeaders(headers)).toEqual({
      ...Object.fromEntries(secret.map((h) => [h, REDACTED])),
      ...kept,
      'x-trace': REDACTED,
    });
  });

  it('hides query parameters named alike, in request lines and absolute URLs, and URL user-info', () => {
    expect(
      redactUrl(
        '/api/oicp/x?token=a&api_key=b&page=0&size=20&access_token=c&client_secret=d&operatorID=DE*CPA&via=hbs',
      ),
    ).toBe(
      `/api/oicp/x?token=${REDACTED}&api_key=${REDACTED}&page=0&size=20&access_token=${REDACTED}&client_secret=${REDACTED}&operatorID=DE*CPA&via=hbs`,
    );
    expect(redactUrl('https://u:p@emp.example/oicp?Auth=x')).toBe(
      `https://${REDACTED}@emp.example/oicp?Auth=${REDACTED}`,
    );
    expect(redactText('connect ECONNREFUSED https://emp.example/oicp?apikey=z failed')).toBe(
      `connect ECONNREFUSED https://emp.example/oicp?apikey=${REDACTED} failed`,
    );
  });
});
