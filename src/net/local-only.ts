import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * Guards the simulator's own pages and control routes (`/monitor`, `/_sim`): they show every message and can change
 * the simulated world, so they answer loopback callers only, even when the hub itself listens on a public address.
 * With a control token (`serve --control-token`) they also answer callers elsewhere that present it.
 */
export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (isLoopbackAddress(req.socket.remoteAddress ?? '')) {
    next();
    return;
  }
  res.status(403).json({
    error: {
      code: 'LOOPBACK_ONLY',
      message: `${req.path} answers loopback callers only; open it on the machine running hbs-sim`,
    },
  });
}

function isLoopbackAddress(addr: string): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr.startsWith('::ffff:127.') || addr.startsWith('127.');
}

function refuseRemote(req: Request, res: Response): void {
  res.status(403).json({
    error: {
      code: 'LOOPBACK_ONLY',
      message: `${req.baseUrl}${req.path} answers loopback callers only; open it on the machine running hbs-sim, or start hbs-sim serve with --control-token <token> and send Authorization: Bearer <token>`,
    },
  });
}

/** Shortest control token accepted: guessing 16 random characters over the network is out of reach. */
export const MIN_CONTROL_TOKEN_LENGTH = 16;
const MAX_CONTROL_TOKEN_LENGTH = 256;

/**
 * Why a control token cannot be used, or undefined when it can. It travels in an Authorization header and a cookie,
 * so it is limited to the RFC 6750 token68 characters.
 */
export function controlTokenProblem(token: string): string | undefined {
  if (token.length < MIN_CONTROL_TOKEN_LENGTH || token.length > MAX_CONTROL_TOKEN_LENGTH)
    return `must be ${MIN_CONTROL_TOKEN_LENGTH} to ${MAX_CONTROL_TOKEN_LENGTH} characters long, got ${token.length} (e.g. \`openssl rand -hex 24\`)`;
  if (!/^[A-Za-z0-9._~+/-]+=*$/.test(token))
    return 'may hold letters, digits and - . _ ~ + / (then = padding) only, no spaces or quotes';
  return undefined;
}

/** How a caller got in: from this machine, or with the token. */
export type ControlAccess = 'loopback' | 'token';

/** What a request shows the guard; the socket's address is the caller's, never a forwarded header. */
export interface AccessInput {
  remoteAddress: string;
  authorization?: string | undefined;
  /** The raw Cookie header. */
  cookie?: string | undefined;
  /** `?token=` of a request for the monitor page, the one way a browser can present the token the first time. */
  pageToken?: string | undefined;
}

export type AccessDecision =
  | { allow: true; via: ControlAccess; setCookie?: boolean }
  | { allow: false; status: 401 | 403; code: 'CONTROL_TOKEN' | 'LOOPBACK_ONLY' };

/** Hashing both sides first makes the comparison constant-time whatever the lengths (timingSafeEqual needs equal). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * The monitor cookie holds a value derived from the token, not the token: a cookie that leaks (it is sent to every
 * port of the host) opens the read-only monitor, never /_sim, which takes the bearer token only.
 */
export function monitorCookieValue(token: string): string {
  return createHmac('sha256', token).update('hbs-sim monitor cookie').digest('base64url');
}

/** The cookie's name; the hub's port in it keeps two simulators on one host from overwriting each other's. */
export function monitorCookieName(port: number | undefined): string {
  return `hbs_sim_monitor_${port ?? 0}`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Who may call a control surface: a loopback caller always (no token needed); with a token configured, anyone who
 * presents it (`Authorization: Bearer`, or for the monitor its cookie or `?token=` on the page); else 401 when a
 * token is configured, 403 when none is.
 */
export function decideAccess(
  input: AccessInput,
  options: { token?: string | undefined; cookieName?: string | undefined },
): AccessDecision {
  const { token, cookieName } = options;
  if (token !== undefined) {
    const bearer = /^Bearer +(\S+) *$/i.exec(input.authorization ?? '')?.[1];
    if (bearer !== undefined && sameSecret(bearer, token)) return { allow: true, via: 'token' };
    if (cookieName !== undefined) {
      const cookie = cookieValue(input.cookie, cookieName);
      if (cookie !== undefined && sameSecret(cookie, monitorCookieValue(token))) return { allow: true, via: 'token' };
      if (input.pageToken !== undefined && sameSecret(input.pageToken, token))
        return { allow: true, via: 'token', setCookie: true };
    }
  }
  if (isLoopbackAddress(input.remoteAddress)) return { allow: true, via: 'loopback' };
  return token === undefined
    ? { allow: false, status: 403, code: 'LOOPBACK_ONLY' }
    : { allow: false, status: 401, code: 'CONTROL_TOKEN' };
}

/** Where res.locals says how the caller got in, for the guards that follow (hostCheck, sameSiteWrites). */
export const ACCESS_LOCAL = 'controlAccess';

/**
 * The guard in front of /_sim (`monitor: false`: bearer token only) and /monitor (`monitor: true`: also the cookie,
 * which a valid `?token=` on the page sets, answering with a redirect to the page without the token in its URL).
 */
export function controlAccessGuard(options: { token?: string | undefined; monitor?: boolean }) {
  const { token } = options;
  return (req: Request, res: Response, next: NextFunction): void => {
    const cookieName = options.monitor ? monitorCookieName(req.socket.localPort) : undefined;
    const page = options.monitor && req.method === 'GET' && (req.path === '/' || req.path === '');
    const pageToken = page && typeof req.query.token === 'string' ? req.query.token : undefined;
    const decision = decideAccess(
      {
        remoteAddress: req.socket.remoteAddress ?? '',
        authorization: req.headers.authorization,
        cookie: req.headers.cookie,
        pageToken,
      },
      { token, cookieName },
    );
    if (decision.allow) {
      res.locals[ACCESS_LOCAL] = decision.via;
      if (decision.setCookie && token !== undefined && cookieName !== undefined) {
        // HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it; Path: the monitor only.
        const secure = 'encrypted' in req.socket && req.socket.encrypted ? '; Secure' : '';
        res
          .status(303)
          .set({
            'set-cookie': `${cookieName}=${monitorCookieValue(token)}; Path=${req.baseUrl || '/'}; HttpOnly; SameSite=Strict${secure}`,
            location: req.baseUrl || '/',
            'cache-control': 'no-store',
            'referrer-policy': 'no-referrer',
          })
          .end();
        return;
      }
      next();
      return;
    }
    if (decision.status === 403) {
      refuseRemote(req, res);
      return;
    }
    const how = options.monitor
      ? `open ${req.baseUrl}?token=<token> in the browser, or send the header Authorization: Bearer <token>`
      : 'send the header Authorization: Bearer <token>';
    res
      .status(401)
      .set({ 'www-authenticate': 'Bearer realm="hbs-sim"', 'cache-control': 'no-store' })
      .json({
        error: {
          code: 'CONTROL_TOKEN',
          message: `${req.baseUrl}${req.path} needs the control token from another machine: ${how}, where <token> is the value given to hbs-sim serve --control-token (or OICP_SIM_CONTROL_TOKEN)`,
        },
      });
  };
}
