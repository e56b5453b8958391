import http from 'node:http';
import https from 'node:https';
import type { PemPair } from '../../src/tls/load.js';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body (throws on access when the body was not JSON). */
  json: any;
}

export interface PostOptions {
  ca?: string;
  client?: PemPair;
  contentType?: string | null;
  method?: string;
  /** Sent as is instead of JSON.stringify(body). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** TLS server name to check the hub's certificate against; by default Node takes it from a Host header. */
  servername?: string;
  /** Reuses connections (a keep-alive agent) instead of one TLS handshake per request. */
  agent?: http.Agent;
}

/** A bare HTTP(S) request, so tests control every byte and header the hub sees. */
export function post(url: string, body: unknown, options: PostOptions = {}): Promise<RawResponse> {
  const payload = options.raw ?? (body === undefined ? '' : JSON.stringify(body));
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(payload) };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  Object.assign(headers, options.headers);
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method: options.method ?? 'POST',
        headers,
        ca: options.ca,
        cert: options.client?.cert,
        key: options.client?.key,
        agent: options.agent ?? false,
        ...(options.servername ? { servername: options.servername } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            get json() {
              return JSON.parse(text);
            },
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
