import type { IncomingMessage } from 'node:http';

export interface ReadBody {
  buf: Buffer;
  /** The body went past the limit; `buf` holds only what was read before stopping. */
  tooLarge: boolean;
  /** Bytes received (or announced by Content-Length when too large). */
  bytes: number;
}

/** Reads a request body up to `limit` bytes without buffering more than that. */
export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  const announced = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(announced) && announced > limit) {
    req.resume();
    return Promise.resolve({ buf: Buffer.alloc(0), tooLarge: true, bytes: announced });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (tooLarge: boolean): void => {
      if (done) return;
      done = true;
      resolve({ buf: Buffer.concat(chunks), tooLarge, bytes });
    };
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes > limit) {
        req.removeAllListeners('data');
        req.resume();
        finish(true);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => finish(false));
    req.on('error', () => finish(false));
    req.on('aborted', () => finish(false));
  });
}
