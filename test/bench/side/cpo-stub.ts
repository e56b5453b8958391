import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { PartnerTlsMaterial } from '../../../src/tls/load.js';

/**
 * The fast CPO every forwarding bench calls (the hub and the bare forwarder alike): mutual TLS, parse the remote
 * start, echo its SessionID, answer 000. Its URL is the Service URL to register.
 */
export async function startCpoStub(
  tls: Pick<PartnerTlsMaterial, 'server' | 'ca'>,
): Promise<{ url: string; server: https.Server }> {
  const server = https.createServer(
    { key: tls.server.key, cert: tls.server.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SessionID: string };
        const text = JSON.stringify({ Result: true, StatusCode: { Code: '000' }, SessionID: body.SessionID });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/oicp`, server };
}
