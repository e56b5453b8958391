import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OicpClient } from '../../../src/net/oicp-client.js';
import { createClock } from '../../../src/shared/clock.js';
import { randomIds } from '../../../src/shared/ids.js';

/**
 * A partner's server drops idle kept-alive connections (Node's default after 5 s). Had the hub reused such a socket
 * just as the server closed it, the forward would fail with ECONNRESET — found by the catalogue, when a Progress
 * notification 6 s after Start met the virtual EMP's idle timeout and HBS answered 310. The client closes idle
 * sockets first, and a request that still meets such a socket goes out again on a new connection (stale-socket.ts).
 * The server here serves one request per connection and resets a connection used again.
 */
const ACK = JSON.stringify({ Result: true, StatusCode: { Code: '000' } });
const body = {
  OperatorID: 'DE*ACM',
  EvseID: 'DE*ACM*E0001*1',
  Identification: { RFIDMifareFamilyIdentification: { UID: '04A1B2C3D4E5F6' } },
};

describe('OicpClient and idle kept-alive sockets', () => {
  let server: net.Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  async function oneRequestPerConnection(): Promise<{ url: string; connections: () => number }> {
    let connections = 0;
    server = net.createServer((socket) => {
      connections++;
      let served = 0;
      socket.on('data', (chunk) => {
        if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
        if (served++ === 0)
          socket.write(
            `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${ACK.length}\r\nconnection: keep-alive\r\n\r\n${ACK}`,
          );
        else socket.resetAndDestroy();
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/oicp`,
      connections: () => connections,
    };
  }

  it('closes a socket idle for idleSocketMs, so the next request gets a fresh connection', async () => {
    const { url, connections } = await oneRequestPerConnection();
    const client = new OicpClient({ clock: createClock(), ids: randomIds(), idleSocketMs: 100 });
    const first = await client.send({ url, operation: 'AuthorizeStart', body, timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    const second = await client.send({ url, operation: 'AuthorizeStart', body, timeoutMs: 5000 });
    client.close();
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(connections()).toBe(2);
  });

  it('a socket the server has given up on is replaced: the request goes out once more on a new connection', async () => {
    const { url, connections } = await oneRequestPerConnection();
    const client = new OicpClient({ clock: createClock(), ids: randomIds(), idleSocketMs: 60_000 });
    await client.send({ url, operation: 'AuthorizeStart', body, timeoutMs: 5000 });
    const second = await client.send({ url, operation: 'AuthorizeStart', body, timeoutMs: 5000 });
    client.close();
    expect(second.ok).toBe(true);
    expect(connections()).toBe(2);
  });
});
