import https from 'node:https';

/**
 * One JSON POST over a keep-alive mTLS agent, timed: how every bench client (and the bare forwarder's leg to the
 * CPO stub) calls. An answer that is not JSON rejects, naming the URL and the HTTP status.
 *
 * A server closes a keep-alive connection idle for its keepAliveTimeout (Node's 5 s), and between rounds one may close
 * just as the agent reuses it: that request never reached the server, so it is sent again once on a new connection
 * (the retry Node's http documentation gives for `request.reusedSocket`).
 */
export async function postJson(
  url: string | URL,
  body: unknown,
  agent: https.Agent,
): Promise<{ ms: number; json: any }> {
  try {
    return await postOnce(url, body, agent);
  } catch (e) {
    if ((e as { staleSocket?: boolean }).staleSocket) return postOnce(url, body, agent);
    throw e;
  }
}

function postOnce(url: string | URL, body: unknown, agent: https.Agent): Promise<{ ms: number; json: any }> {
  const text = JSON.stringify(body);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        agent,
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
    req.on('error', (e: NodeJS.ErrnoException) =>
      reject(req.reusedSocket && e.code === 'ECONNRESET' ? Object.assign(e, { staleSocket: true }) : e),
    );
    req.end(text);
  });
}

/** A keep-alive client agent presenting `client` and trusting `ca`, at most `maxSockets` connections. */
export function clientAgent(ca: string, client: { cert: string; key: string }, maxSockets: number): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets, ca, cert: client.cert, key: client.key });
}
