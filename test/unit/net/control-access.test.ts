import { describe, expect, it } from 'vitest';
import { decideAccess, monitorCookieValue } from '../../../src/net/local-only.js';

/** Who may call /_sim and /monitor: loopback always, another machine only with the control token. */

const TOKEN = 'k7Qm2vX9pL4sT8wZ1yB6';
const REMOTE = '192.0.2.10';
const COOKIE = 'hbs_sim_monitor_8443';

describe('decideAccess', () => {
  it('lets loopback callers in without a token, with or without one configured', () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.2']) {
      expect(decideAccess({ remoteAddress }, {})).toEqual({ allow: true, via: 'loopback' });
      expect(decideAccess({ remoteAddress, authorization: 'Bearer wrong' }, { token: TOKEN })).toEqual({
        allow: true,
        via: 'loopback',
      });
    }
  });

  it('refuses another machine with 403 when no token is configured, whatever it sends', () => {
    expect(decideAccess({ remoteAddress: REMOTE, authorization: `Bearer ${TOKEN}` }, {})).toEqual({
      allow: false,
      status: 403,
      code: 'LOOPBACK_ONLY',
    });
  });

  it('lets another machine in with the bearer token, and answers a missing or wrong one with 401', () => {
    const options = { token: TOKEN };
    expect(decideAccess({ remoteAddress: REMOTE, authorization: `Bearer ${TOKEN}` }, options)).toEqual({
      allow: true,
      via: 'token',
    });
    expect(decideAccess({ remoteAddress: REMOTE, authorization: `bearer ${TOKEN}` }, options).allow).toBe(true);
    const refused = { allow: false, status: 401, code: 'CONTROL_TOKEN' };
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
      'Bearer ',
    ])
      expect(decideAccess({ remoteAddress: REMOTE, authorization }, options), String(authorization)).toEqual(refused);
  });

  it('takes the monitor cookie and ?token= on the page only where a cookie name is given (the monitor)', () => {
    const monitor = { token: TOKEN, cookieName: COOKIE };
    const cookie = `other=1; ${COOKIE}=${monitorCookieValue(TOKEN)}`;
    expect(decideAccess({ remoteAddress: REMOTE, cookie }, monitor)).toEqual({ allow: true, via: 'token' });
    expect(decideAccess({ remoteAddress: REMOTE, pageToken: TOKEN }, monitor)).toEqual({
      allow: true,
      via: 'token',
      setCookie: true,
    });
    // /_sim (no cookie name): neither the cookie nor ?token= opens it.
    expect(decideAccess({ remoteAddress: REMOTE, cookie, pageToken: TOKEN }, { token: TOKEN }).allow).toBe(false);
    // The cookie holds a value derived from the token, not the token itself, and a cookie of another port is not it.
    expect(decideAccess({ remoteAddress: REMOTE, cookie: `${COOKIE}=${TOKEN}` }, monitor).allow).toBe(false);
    expect(
      decideAccess({ remoteAddress: REMOTE, cookie: `hbs_sim_monitor_9443=${monitorCookieValue(TOKEN)}` }, monitor)
        .allow,
    ).toBe(false);
    expect(
      decideAccess({ remoteAddress: REMOTE, authorization: `Bearer ${monitorCookieValue(TOKEN)}` }, monitor),
    ).toEqual({ allow: false, status: 401, code: 'CONTROL_TOKEN' });
  });
});
