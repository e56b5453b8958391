import https from 'node:https';
import { type Attempt, retryingStaleSocket } from '../../../src/net/stale-socket.js';

/**
 * One JSON POST over a keep-alive mTLS agent, timed: how every bench client (and the bare forwarder's leg to the
 * CPO stub) calls. An answer that is not JSON rejects, naming the URL and the HTTP status.
 *
 * A server closes a keep-alive connection idle for its keepAliveTimeout (Node's 5 s), and between rounds one may close
 * just as the agent reuses it: such a request is sent once more on a connection of its own, by the hub's own rule
 * (src/net/stale-socket.ts).
 */
export function postJson(url: string | URL, body: unknown, agent: https.Agent): Promise<{ ms: number; json: any }> {
  return retryingStaleSocket((attempt) => postOnce(url, body, agent, attempt));
}

function postOnce(
  url: string | URL,
  body: unknown,
  agent: https.Agent,
  attempt: Attempt,
): Promise<{ ms: number; json: any }> {
  const text = JSON.stringify(body);
  const { ca, cert, key } = agent.options;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        ...(attempt.fresh ? { agent: false, ca, cert, key } : { agent }),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - t0;
          try {
            resolve({ ms, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (e) {
            reject(new Error(`${url}: HTTP ${res.statusCode}, not JSON (${String(e)})`));
          }
        });
      },
    );
    attempt.watch(req);
    req.on('error', reject);
    req.end(text);
  });
}

/** A keep-alive client agent presenting `client` and trusting `ca`, at most `maxSockets` connections. */
export function clientAgent(ca: string, client: { cert: string; key: string }, maxSockets: number): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets, ca, cert: client.cert, key: client.key });
}
