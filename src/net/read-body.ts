import type { IncomingMessage } from 'node:http';

export interface ReadBody {
  buf: Buffer;
  /** The body went past the limit; `buf` holds only what was read before stopping. */
  tooLarge: boolean;
  /** Bytes received (or announced by Content-Length when too large). */
  bytes: number;
  /** The connection ended before the body did: whatever is answered, nobody reads it. */
  aborted: boolean;
}

export interface ReadBodyOptions {
  /** Largest body kept, in bytes. */
  limit: number;
  /**
   * An over-limit body is read on and thrown away, up to this many bytes in all, before the 413 goes out: a client
   * still sending when the hub answers and closes gets a reset instead of the answer (TCP discards what it had not
   * read yet). Past this the hub answers anyway and the client may see the reset.
   */
  drainBytes: number;
  /** …and for at most this long (real milliseconds). */
  drainMs: number;
}

/**
 * Requests that asked `Expect: 100-continue` with a Content-Length over the limit and were not told to continue:
 * their client waits for the answer without sending the body, so there is nothing to read or drain.
 */
const continueWithheld = new WeakSet<IncomingMessage>();

/**
 * Decides whether a request that sent `Expect: 100-continue` may send its body: not when its Content-Length is already
 * over the limit (it then gets the 413 straight away, with nothing sent in vain). Call from the server's
 * 'checkContinue' event, then hand the request on as usual.
 */
export function answerExpectContinue(req: IncomingMessage, res: { writeContinue(): void }, limit: number): void {
  const announced = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(announced) && announced > limit) continueWithheld.add(req);
  else res.writeContinue();
}

/** Reads a request body up to the limit without buffering more; an over-limit body is drained (see ReadBodyOptions). */
export function readBody(req: IncomingMessage, limitOrOptions: number | ReadBodyOptions): Promise<ReadBody> {
  const options =
    typeof limitOrOptions === 'number'
      ? { limit: limitOrOptions, drainBytes: 4 * limitOrOptions, drainMs: 5_000 }
      : limitOrOptions;
  const { limit } = options;
  const announced = Number(req.headers['content-length'] ?? NaN);
  const announcedTooLarge = Number.isFinite(announced) && announced > limit;
  if (announcedTooLarge && continueWithheld.has(req)) {
    return Promise.resolve({ buf: Buffer.alloc(0), tooLarge: true, bytes: announced, aborted: false });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = announcedTooLarge;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (aborted: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      // Whatever still arrives is thrown away (Node dumps an unread body once the answer is sent).
      if (tooLarge) req.resume();
      resolve({ buf: Buffer.concat(chunks), tooLarge, bytes: announcedTooLarge ? announced : bytes, aborted });
    };
    const startDraining = (): void => {
      chunks.length = 0;
      timer = setTimeout(() => finish(false), options.drainMs);
    };
    const onData = (c: Buffer): void => {
      bytes += c.length;
      if (tooLarge) {
        if (bytes > options.drainBytes) finish(false);
        return;
      }
      if (bytes > limit) {
        tooLarge = true;
        startDraining();
        return;
      }
      chunks.push(c);
    };
    if (announcedTooLarge) startDraining();
    req.on('data', onData);
    req.on('end', () => finish(false));
    req.on('error', () => finish(true));
    req.on('aborted', () => finish(true));
    req.on('close', () => finish(!req.complete));
  });
}
