import type https from 'node:https';
import { remoteStart } from '../../helpers/messages.js';
import { postJson } from './post.js';

export interface RemoteStarts {
  /** The server's OICP base URL (the hub's, or the bare forwarder's). */
  baseUrl: string;
  /** The EMP's client agent. */
  agent: https.Agent;
  /** Request numbers `from` (default 0) up to `to`, exclusive: the n-th goes to `evseOf(n)`. */
  from?: number;
  to: number;
  concurrent: number;
  evseOf: (n: number) => string;
  /** Named in the error when an answer is not Result true. */
  label?: string;
}

/**
 * The forwarded AuthorizeRemoteStart every forwarding bench sends (DE-EMA to the CPO stub through the server),
 * `concurrent` at a time; each must be answered Result true, else it rejects naming the request and the answer.
 * Resolves to each request's latency in milliseconds, in the order they finished.
 */
export async function remoteStarts(o: RemoteStarts): Promise<number[]> {
  const url = `${o.baseUrl}/charging/v21/providers/DE-EMA/authorize-remote/start`;
  const latencies: number[] = [];
  let next = o.from ?? 0;
  await Promise.all(
    Array.from({ length: o.concurrent }, async () => {
      while (next < o.to) {
        const n = next++;
        const r = await postJson(url, remoteStart('DE-EMA', o.evseOf(n)), o.agent);
        if (r.json.Result !== true)
          throw new Error(`${o.label ? `${o.label}: ` : ''}remote start ${n} failed: ${JSON.stringify(r.json)}`);
        latencies.push(r.ms);
      }
    }),
  );
  return latencies;
}
