import type http from 'node:http';
import type { Socket } from 'node:net';

/**
 * Partner servers close kept-alive connections whenever they like: an idle timeout shorter than ours, a worker
 * restarted after an unhandled 500 (uvicorn, gunicorn), a proxy's connection limit. When the close crosses a request
 * going out on that socket, the request fails with ECONNRESET/EPIPE before any answer, and the failure moves between
 * runs with timing. Such a request never reached the application (the server had already let go of the connection),
 * so it is sent once more on a new connection. Any other failure is the caller's answer: a request the partner may
 * have received is never sent twice.
 */

/** What one attempt gets: whether it must open a connection of its own, and the hook that watches its socket. */
export interface Attempt {
  /** True on the retry: the caller passes `agent: false` (and its TLS options on the request) for a new connection. */
  fresh: boolean;
  /** Call with the request right after creating it. */
  watch(req: http.ClientRequest): void;
}

const RACE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Runs `attempt`; when it failed because the kept-alive socket it reused was already closed (the error came before
 * a single byte of an answer and is a reset or broken pipe), runs it once more with `fresh: true`.
 */
export async function retryingStaleSocket<T>(attempt: (a: Attempt) => Promise<T>): Promise<T> {
  let stale = false;
  const watch = (req: http.ClientRequest): void => {
    // Whether a byte of an answer came is read off the socket's count of bytes received (cleartext on a TLS socket,
    // so a close_notify does not count) instead of a 'data' listener of its own: that one cost a listener added and
    // removed on the socket, and a second listener to call, on every request.
    let socket: Socket | undefined;
    let before = 0;
    req.once('socket', (s) => {
      socket = s;
      before = s.bytesRead;
    });
    req.once('error', (e: NodeJS.ErrnoException) => {
      const answered = socket !== undefined && socket.bytesRead !== before;
      stale = req.reusedSocket && !answered && RACE_CODES.has(e.code ?? '');
    });
  };
  try {
    return await attempt({ fresh: false, watch });
  } catch (e) {
    if (!stale) throw e;
    return attempt({ fresh: true, watch: () => {} });
  }
}
