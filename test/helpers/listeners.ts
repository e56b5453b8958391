import type http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../src/app/reference-run.js';

/**
 * Servers a test starts on loopback ephemeral ports, closed together (kept-alive connections included) in its
 * afterEach.
 */
export function loopbackServers(): { listen: (s: net.Server) => Promise<number>; closeAll: () => Promise<void> } {
  const servers: net.Server[] = [];
  return {
    listen: async (s) => {
      servers.push(s);
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      return (s.address() as AddressInfo).port;
    },
    closeAll: async () => {
      await Promise.all(
        servers.splice(0).map(
          (s) =>
            new Promise<void>((r) => {
              (s as http.Server).closeAllConnections?.();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}

/** A loopback port nothing listens on (free a moment ago): a backend that is down. */
export const closedPort = (): Promise<number> => freePort('127.0.0.1');
