import type http from 'node:http';
import https from 'node:https';
import type { PemPair } from '../../src/tls/load.js';

export interface RawRequestOptions {
  ca: string;
  client?: PemPair;
  method?: string;
  headers?: Record<string, string | number>;
  /** The body, written in these pieces (chunked transfer encoding unless a content-length header is given). */
  chunks?: Array<string | Buffer>;
  /** Send `Expect: 100-continue` and write the body only once the server says 100 Continue. */
  expectContinue?: boolean;
  /** Keep writing the whole body after an answer arrived, as a client busy uploading does. */
  sendWholeBody?: boolean;
}

export interface RawOutcome {
  /** The final answer, when one arrived before the connection ended. */
  status?: number;
  headers?: http.IncomingHttpHeaders;
  text?: string;
  /** The server sent `100 Continue`. */
  continued: boolean;
  /** Bytes of the body this client wrote before the answer (or the failure). */
  bytesWritten: number;
  /** Set when the connection failed instead of answering (e.g. ECONNRESET, EPIPE). */
  error?: string;
}

/**
 * One HTTPS request whose body and Expect handling the test controls byte by byte, the way a fuzzing prober sends
 * them. Resolves with what came back, or with the transport error instead of rejecting, so a test can assert on it.
 */
export function rawRequest(url: string, options: RawRequestOptions): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const outcome: RawOutcome = { continued: false, bytesWritten: 0 };
    let settled = false;
    let answered = false;
    let bodyWritten = false;
    let failed = false;
    const done = (): void => {
      if (settled) return;
      // With sendWholeBody the outcome counts only once the upload finished too: a reset after the answer matters.
      if (!failed && (!answered || (options.sendWholeBody && !bodyWritten))) return;
      settled = true;
      resolve(outcome);
    };
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.expectContinue) headers.expect = '100-continue';
    const req = https.request(url, {
      method: options.method ?? 'POST',
      headers,
      ca: options.ca,
      cert: options.client?.cert,
      key: options.client?.key,
      agent: false,
    });
    const writeBody = (): void => {
      const chunks = options.chunks ?? [];
      let i = 0;
      const next = (): void => {
        if (settled || (outcome.status !== undefined && !options.sendWholeBody)) return;
        if (i >= chunks.length) {
          req.end(() => {
            bodyWritten = true;
            done();
          });
          return;
        }
        const chunk = chunks[i++]!;
        outcome.bytesWritten += Buffer.byteLength(chunk);
        if (req.write(chunk)) setImmediate(next);
        else req.once('drain', next);
      };
      next();
    };
    req.on('continue', () => {
      outcome.continued = true;
      writeBody();
    });
    req.on('response', (res) => {
      outcome.status = res.statusCode;
      outcome.headers = res.headers;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        outcome.text = Buffer.concat(parts).toString('utf8');
        answered = true;
        done();
      });
      res.on('error', (e) => {
        failed = true;
        outcome.error = (e as NodeJS.ErrnoException).code ?? e.message;
        done();
      });
    });
    req.on('error', (e) => {
      failed = true;
      outcome.error = (e as NodeJS.ErrnoException).code ?? e.message;
      // An answer may already be complete; only report the failure when none arrived.
      if (outcome.text === undefined) outcome.status = undefined;
      done();
    });
    req.on('close', () =>
      setTimeout(() => {
        failed = true;
        done();
      }, 50),
    );
    if (options.expectContinue) req.flushHeaders();
    else writeBody();
  });
}

/** `depth` nested JSON arrays: `[[[…]]]`. */
export function nestedArrays(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}
