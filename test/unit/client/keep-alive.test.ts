import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OicpClient } from '../../../src/client/oicp-client.js';
import { createClock } from '../../../src/shared/clock.js';
import { randomIds } from '../../../src/shared/ids.js';

/**
 * A partner whose server drops an idle kept-alive connection just as the hub reuses it (Node's 5 s
 * keepAliveTimeout racing the hub's next forward) must still get the request: it never reached the partner.
 * The server here answers the first request of each connection and resets the connection on the second.
 */
const ACK = JSON.stringify({ Result: true, StatusCode: { Code: '000' } });

describe('OicpClient on a kept-alive socket the partner has closed', () => {
  let server: net.Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('sends the request again once on a fresh connection', async () => {
    let connections = 0;
    let requests = 0;
    server = net.createServer((socket) => {
      connections++;
      let served = 0;
      socket.on('data', (chunk) => {
        if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
        requests++;
        if (served++ === 0) {
          socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${ACK.length}\r\nconnection: keep-alive\r\n\r\n${ACK}`);
        } else {
          socket.resetAndDestroy();
        }
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/oicp`;
    const client = new OicpClient({ clock: createClock(), ids: randomIds() });
    const body = { OperatorID: 'DE*ACM', EvseID: 'DE*ACM*E0001*1', Identification: { RFIDMifareFamilyIdentification: { UID: '04A1B2C3D4E5F6' } } };
    const first = await client.send({ url, operation: 'AuthorizeStart', body, timeoutMs: 5000 });
    const second = await client.send({ url, operation: 'AuthorizeStart', body, timeoutMs: 5000 });
    client.close();
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(true);
    expect(second.exchange.transportError).toBeUndefined();
    expect({ connections, requests }).toEqual({ connections: 2, requests: 3 });
  });
});
