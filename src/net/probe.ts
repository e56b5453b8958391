import { lookup } from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';
import { messageOf } from '../shared/errors.js';
import type { OutboundTls } from './oicp-client.js';

/**
 * One bounded look at an HTTP(S) endpoint, without sending it anything it could act on: name lookup, TCP connect,
 * for https the TLS handshake with the caller's options (whom to trust, which client certificate to present), then
 * one request that has no effect, of which any HTTP answer counts (a 404 or 405 still proves the server is there).
 * Each stage that fails is named, with what was seen, so the caller can say what to fix. Used by the preflight of
 * a run (src/app/preflight.ts).
 */

export interface ProbeTarget {
  url: string;
  /** For https: the options the real caller uses (the forwarder's, a trigger's). */
  tls?: OutboundTls;
  /**
   * `head`: `HEAD <path of url>` (HEAD is safe: RFC 9110, 9.2.1). `options-server`: `OPTIONS *`, which asks about
   * the server and names no resource (RFC 9110, 9.3.7), so no route of a test API can match it and act.
   */
  request: 'head' | 'options-server';
  /** Real milliseconds for all stages together. */
  timeoutMs: number;
}

/** Every way a probe can fail, each a different fix. */
export const PROBE_FAILURES = [
  'invalid-url',
  'dns',
  'refused',
  'timeout',
  'unreachable',
  'not-trusted',
  'hostname-mismatch',
  'client-cert-refused',
  'handshake',
  'plain-http-on-tls-url',
  'tls-on-plain-url',
  'no-http-answer',
] as const;
export type ProbeFailure = (typeof PROBE_FAILURES)[number];

/** The server's certificate as seen in the handshake. */
export interface PeerCertificate {
  subject: string;
  issuer: string;
  /** subjectAltName entries, e.g. `DNS:localhost`, `IP Address:127.0.0.1`. */
  names: string[];
  validTo: string;
}

export type ProbeStage = 'dns' | 'connect' | 'tls' | 'http';

export type ProbeResult =
  | { ok: true; status: number; address: string; peer?: PeerCertificate }
  | {
      ok: false;
      failure: ProbeFailure;
      stage: ProbeStage;
      /** What was seen, in a sentence: the error code, the alert, the first bytes. */
      detail: string;
      address?: string;
      peer?: PeerCertificate;
    };

const HEAD_LIMIT = 16 * 1024;

/** TLS alerts a server sends when it does not accept the client's certificate (or wanted one and got none). */
const CLIENT_CERT_ALERT =
  /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|ACCESS_DENIED)/;

class ProbeTimeout extends Error {}

export async function probe(target: ProbeTarget): Promise<ProbeResult> {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return fail('invalid-url', 'dns', `${target.url} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail('invalid-url', 'dns', `${url.protocol} is not http: or https:`);
  const deadline = performance.now() + target.timeoutMs;
  const left = (): number => Math.max(1, deadline - performance.now());
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));

  let address = host;
  if (net.isIP(host) === 0) {
    try {
      address = (await bounded(lookup(host), left())).address;
    } catch (e) {
      if (e instanceof ProbeTimeout)
        return fail('timeout', 'dns', `no answer for the name ${host} within ${ms(target)}`);
      return fail('dns', 'dns', `the name ${host} does not resolve (${codeOf(e)})`);
    }
  }
  const where = `${address}:${port}`;

  let socket: net.Socket;
  try {
    socket = await connect(address, port, left());
  } catch (e) {
    if (e instanceof ProbeTimeout)
      return fail('timeout', 'connect', `no TCP connection to ${where} within ${ms(target)}`, address);
    const code = codeOf(e);
    if (code === 'ECONNREFUSED')
      return fail(
        'refused',
        'connect',
        `connection to ${where} refused (ECONNREFUSED): nothing listens there`,
        address,
      );
    return fail('unreachable', 'connect', `cannot connect to ${where} (${code})`, address);
  }

  try {
    if (url.protocol === 'http:') return await plainHttp(socket, url, target, left, address);
    return await overTls(socket, url, target, left, address, host);
  } finally {
    socket.destroy();
  }
}

async function overTls(
  raw: net.Socket,
  url: URL,
  target: ProbeTarget,
  left: () => number,
  address: string,
  host: string,
): Promise<ProbeResult> {
  const o = target.tls ?? {};
  // As Node's https does for the forwarder: SNI is the URL's host unless it is an IP address (or a servername is set).
  const servername = o.servername ?? (net.isIP(host) === 0 ? host : undefined);
  let socket: tls.TLSSocket;
  try {
    socket = await handshake(
      {
        socket: raw,
        // The name Node checks the certificate against (without it, "localhost"): the URL's host, as https does.
        host,
        ca: o.ca,
        cert: o.cert,
        key: o.key,
        ...(servername ? { servername } : {}),
        // Verified below, by hand, so a refusal can name the certificate it saw.
        rejectUnauthorized: false,
      },
      left(),
    );
  } catch (e) {
    if (e instanceof ProbeTimeout)
      return fail(
        'timeout',
        'tls',
        `no TLS handshake within ${ms(target)} (connected, but the server said nothing)`,
        address,
      );
    return tlsFailure(e, 'tls', address);
  }
  try {
    const peer = peerOf(socket);
    // Node checks the name (tls.checkServerIdentity) only once the chain is trusted, so the two never mix.
    const why = socket.authorized ? undefined : String(socket.authorizationError ?? 'not verified');
    if (why !== undefined && why !== 'ERR_TLS_CERT_ALTNAME_INVALID')
      return { ...fail('not-trusted', 'tls', `its certificate is not trusted (${why})`, address), ...withPeer(peer) };
    if (
      why === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
      tls.checkServerIdentity(o.servername ?? host, socket.getPeerCertificate())
    )
      return {
        ...fail('hostname-mismatch', 'tls', `its certificate does not name ${o.servername ?? host}`, address),
        ...withPeer(peer),
      };
    const answer = await exchange(socket, url, target, left);
    if ('status' in answer) return { ok: true, status: answer.status, address, ...withPeer(peer) };
    const closed = !answer.timedOut && answer.bytes.length === 0;
    // Node.js and others verify a client certificate after the handshake and, refusing it, close without an alert.
    if (o.cert && closed && (!answer.error || codeOf(answer.error) === 'ECONNRESET'))
      return {
        ...fail(
          'client-cert-refused',
          'http',
          'the server closed the connection right after the TLS handshake, without an HTTP answer (how a server that refuses the client certificate without a TLS alert behaves)',
          address,
        ),
        ...withPeer(peer),
      };
    if (answer.error) return { ...tlsFailure(answer.error, 'http', address), ...withPeer(peer) };
    return {
      ...fail(
        'no-http-answer',
        'http',
        answer.timedOut
          ? `no HTTP answer within ${ms(target)} after the TLS handshake`
          : answer.bytes.length === 0
            ? 'the server closed the connection after the TLS handshake without an HTTP answer or a TLS alert'
            : `the answer is not HTTP: ${shown(answer.bytes)}`,
        address,
      ),
      ...withPeer(peer),
    };
  } finally {
    socket.destroy();
  }
}

async function plainHttp(
  socket: net.Socket,
  url: URL,
  target: ProbeTarget,
  left: () => number,
  address: string,
): Promise<ProbeResult> {
  const answer = await exchange(socket, url, target, left);
  if ('status' in answer) return { ok: true, status: answer.status, address };
  // A TLS server answers plain text with a TLS record (an alert, 0x15) or closes; a handshake settles which.
  if (answer.bytes[0] === 0x15 || answer.bytes[0] === 0x16 || (await speaksTls(address, url, left())))
    return fail('tls-on-plain-url', 'http', 'the URL says http:// but the server speaks TLS', address);
  if (answer.error) return fail('no-http-answer', 'http', `the connection failed: ${codeOf(answer.error)}`, address);
  if (answer.timedOut) return fail('timeout', 'http', `no HTTP answer within ${ms(target)}`, address);
  return fail(
    'no-http-answer',
    'http',
    answer.bytes.length === 0
      ? 'the server closed the connection without an HTTP answer'
      : `the answer is not HTTP: ${shown(answer.bytes)}`,
    address,
  );
}

/** Whether a TLS handshake (trusting anything: only the protocol is asked) gets a ServerHello at this port. */
async function speaksTls(address: string, url: URL, timeoutMs: number): Promise<boolean> {
  let raw: net.Socket | undefined;
  try {
    raw = await connect(address, Number(url.port || 80), timeoutMs);
    const s = await handshake({ socket: raw, rejectUnauthorized: false }, timeoutMs);
    s.destroy();
    return true;
  } catch (e) {
    // An alert in answer to the ClientHello is TLS too (e.g. the server wants a client certificate on TLS 1.2).
    return /ALERT/.test(codeOf(e));
  } finally {
    raw?.destroy();
  }
}

type Answer = { status: number } | { bytes: Buffer; error?: unknown; timedOut?: boolean };

/** Sends the harmless request and reads up to the end of the status line. */
function exchange(socket: net.Socket, url: URL, target: ProbeTarget, left: () => number): Promise<Answer> {
  const path = target.request === 'head' ? `${url.pathname}${url.search}` : '*';
  const method = target.request === 'head' ? 'HEAD' : 'OPTIONS';
  return new Promise((resolve) => {
    let bytes = Buffer.alloc(0);
    const done = (a: Answer): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      resolve(a);
    };
    const timer = setTimeout(() => done({ bytes, timedOut: true }), left());
    socket.on('data', (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]).subarray(0, HEAD_LIMIT);
      const line = bytes.toString('latin1').match(/^HTTP\/\d(?:\.\d)? (\d{3})[^\r\n]*\r?\n/);
      if (line) done({ status: Number(line[1]) });
      else if (!'HTTP/'.startsWith(bytes.subarray(0, 5).toString('latin1')) || bytes.length >= HEAD_LIMIT)
        done({ bytes });
    });
    socket.once('error', (e) => done({ bytes, error: e }));
    socket.once('close', () => done({ bytes }));
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: hbs-sim-preflight\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
    );
  });
}

function connect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeTimeout());
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function handshake(options: tls.ConnectionOptions, timeoutMs: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(options);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeTimeout());
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // Errors after the handshake (an alert refusing the client certificate under TLS 1.3) are read by exchange().
      socket.on('error', () => {});
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error('the server closed the connection during the TLS handshake'), { code: 'ECONNRESET' }),
      );
    });
  });
}

function tlsFailure(e: unknown, stage: ProbeStage, address: string): ProbeResult & { ok: false } {
  const code = codeOf(e);
  const message = messageOf(e);
  if (CLIENT_CERT_ALERT.test(code))
    return fail(
      'client-cert-refused',
      stage,
      `the server ended the handshake with the alert ${alertName(code)}`,
      address,
    );
  // A plain HTTP server reads the ClientHello as a bad request and answers in text, which TLS cannot parse.
  if (
    /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST/.test(code) ||
    /wrong version number|http request/i.test(message)
  )
    return fail(
      'plain-http-on-tls-url',
      stage,
      `the server answered the TLS handshake in plain text (${code})`,
      address,
    );
  if (/ALERT/.test(code))
    return fail('handshake', stage, `the server ended the handshake with the alert ${alertName(code)}`, address);
  return fail(
    'handshake',
    stage,
    `the TLS handshake failed: ${code === 'ERROR' ? message : `${code} (${message})`}`,
    address,
  );
}

function alertName(code: string): string {
  return code
    .replace(/^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_/, '')
    .toLowerCase()
    .replace(/_/g, ' ');
}

function peerOf(socket: tls.TLSSocket): PeerCertificate | undefined {
  const c = socket.getPeerCertificate();
  if (!c || Object.keys(c).length === 0) return undefined;
  const dn = (o: object | undefined): string =>
    Object.entries(o ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
      .join(', ');
  return {
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    names: (c.subjectaltname ?? '').split(/,\s*/).filter(Boolean),
    validTo: c.valid_to,
  };
}

function withPeer(peer: PeerCertificate | undefined): { peer?: PeerCertificate } {
  return peer ? { peer } : {};
}

function fail(failure: ProbeFailure, stage: ProbeStage, detail: string, address?: string): ProbeResult & { ok: false } {
  return { ok: false, failure, stage, detail, ...(address ? { address } : {}) };
}

function bounded<T>(p: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProbeTimeout()), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

function codeOf(e: unknown): string {
  return (e as { code?: string }).code ?? 'ERROR';
}

function ms(t: ProbeTarget): string {
  return `${Math.round(t.timeoutMs / 100) / 10} s`;
}

/** The first bytes of an answer, printable. */
function shown(bytes: Buffer): string {
  const text = bytes.subarray(0, 40).toString('latin1');
  return /^[\x20-\x7e\r\n\t]*$/.test(text) ? JSON.stringify(text) : `bytes ${bytes.subarray(0, 16).toString('hex')}`;
}
