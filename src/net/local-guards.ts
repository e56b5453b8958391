import type { NextFunction, Request, Response } from 'express';
import { ACCESS_LOCAL } from './local-only.js';

/**
 * The simulator's own surfaces (`/_sim`, `/monitor`) answer loopback callers only, but a browser on this machine is
 * a loopback caller too, and runs other sites' pages: a page could POST to /_sim (a form needs no CORS preflight),
 * or rebind its own DNS name to 127.0.0.1 and read the monitor. Two checks close that: the Host header must name
 * this machine (a rebound name does not), and a state-changing request must carry what a cross-site form cannot send
 * (`content-type: application/json` or an `x-hbs-sim` header) and no foreign Origin.
 */

/** Listen addresses that mean "every interface": not an address to call. */
export function isWildcardHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || /^[0:]+$/.test(h);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(h) ||
    h === '::1' ||
    /^::ffff:127\./.test(h)
  );
}

/**
 * The hub URL for callers on this machine: a wildcard listen address becomes loopback (127.0.0.1 or ::1, both in
 * the hub's certificate); any other URL is returned as it is.
 */
export function localUrl(url: string): string {
  return url.replace(
    /^(\w+:\/\/)(\[[0:]+\]|0\.0\.0\.0)(?=[:/]|$)/,
    (_m, scheme: string, host: string) => `${scheme}${host.startsWith('[') ? '[::1]' : '127.0.0.1'}`,
  );
}

/** The host name of a Host header or Origin (without the port), lower-cased; undefined when unparseable. */
function hostnameOf(value: string, withScheme: boolean): string | undefined {
  try {
    return new URL(withScheme ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Host names this machine's surfaces answer to: loopback names, and the configured listen host unless a wildcard. */
export function allowedHost(hostname: string, configuredHost: string): boolean {
  if (isLoopbackHost(hostname)) return true;
  if (isWildcardHost(configuredHost)) return false;
  const configured = hostnameOf(
    configuredHost.includes(':') && !configuredHost.startsWith('[') ? `[${configuredHost}]` : configuredHost,
    false,
  );
  return configured !== undefined && hostname === configured;
}

function refuse(res: Response, code: string, message: string): void {
  res.status(403).set('cache-control', 'no-store').json({ error: { code, message } });
}

/**
 * Whether an earlier guard let the caller in with the control token (see local-only.ts). A DNS-rebound page cannot
 * present it (no script can read the HttpOnly cookie, and the cookie belongs to the real name, not the rebound one),
 * so such a caller may use whatever name reaches the hub: a CI service name, a LAN address.
 */
function byToken(res: Response): boolean {
  return res.locals[ACCESS_LOCAL] === 'token';
}

/** Refuses a request whose Host header names another machine (DNS rebinding), unless the caller has the token. */
export function hostCheck(configuredHost: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (byToken(res)) {
      next();
      return;
    }
    const host = req.headers.host;
    const name = host === undefined ? undefined : hostnameOf(host, false);
    if (name !== undefined && allowedHost(name, configuredHost)) next();
    else
      refuse(
        res,
        'HOST_NOT_ALLOWED',
        `Host "${host ?? ''}" is not this machine; call ${req.baseUrl || req.path} as 127.0.0.1 or localhost`,
      );
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request a cross-site page could have sent: it needs `content-type: application/json` or
 * an `x-hbs-sim` header (neither is possible without a CORS preflight, which is never granted), and an Origin, when
 * sent, must be this machine.
 */
export function sameSiteWrites(configuredHost: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    const origin = req.headers.origin;
    const fetchSite = req.headers['sec-fetch-site'];
    const originName = origin === undefined || origin === 'null' ? undefined : hostnameOf(origin, true);
    // A caller with the token may use any name for the hub; a page it sends writes from must still be the hub's own.
    const ownOrigin = (name: string): boolean =>
      byToken(res) ? name === hostnameOf(req.headers.host ?? '', false) : allowedHost(name, configuredHost);
    if (
      (origin !== undefined && (originName === undefined || !ownOrigin(originName))) ||
      fetchSite === 'cross-site' ||
      fetchSite === 'same-site'
    ) {
      refuse(
        res,
        'CROSS_SITE',
        `${req.method} ${req.originalUrl.split('?')[0]} from ${origin ?? 'another site'} refused: control requests come from this machine (curl, scripts), not from web pages`,
      );
      return;
    }
    const json = /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
    if (json || req.headers['x-hbs-sim'] !== undefined) {
      next();
      return;
    }
    res
      .status(415)
      .set('cache-control', 'no-store')
      .json({
        error: {
          code: 'SIM_INPUT',
          message: `${req.method} needs the header content-type: application/json (or x-hbs-sim: 1 for a request without a body), so no web page can send it cross-site`,
        },
      });
  };
}
