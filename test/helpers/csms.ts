import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ocppRpc, type RPCClient } from '../../src/ocpp/rpc.js';
import type { PemPair } from '../../src/tls/load.js';

/**
 * A CSMS for tests: an ocpp-rpc server on a loopback ephemeral port (ws://, or wss:// with a server certificate),
 * strict OCPP 1.6 validation, Basic auth checked when a password is set. It answers the charge point's calls with
 * `answers` (defaults accept everything), records every call it got, and lets a test call the charge point.
 */

type Params = Record<string, unknown>;
export type Answer = (params: Params) => unknown | Promise<unknown>;

export interface TestCsmsOptions {
  tls?: PemPair;
  password?: string;
  answers?: Partial<Record<string, Answer>>;
}

export interface ReceivedCall {
  chargePointId: string;
  action: string;
  params: Params;
}

export interface TestCsms {
  url: string;
  calls: ReceivedCall[];
  /** Calls of one action, in order. */
  of(action: string): Params[];
  /** Calls the connected charge point `id` (the first to connect when omitted). */
  call(action: string, params: Params, id?: string): Promise<Params>;
  /** Sends a frame as it is, well-formed or not. */
  sendRaw(text: string, id?: string): void;
  /** Closes the charge point's socket from the CSMS side. */
  drop(id?: string): Promise<void>;
  close(): Promise<void>;
}

let nextTransactionId = 1000;

const DEFAULT_ANSWERS: Record<string, Answer> = {
  BootNotification: () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }),
  Heartbeat: () => ({ currentTime: new Date().toISOString() }),
  StatusNotification: () => ({}),
  Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
  StartTransaction: () => ({ idTagInfo: { status: 'Accepted' }, transactionId: nextTransactionId++ }),
  StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
  MeterValues: () => ({}),
};

export async function startTestCsms(o: TestCsmsOptions = {}): Promise<TestCsms> {
  const rpc = new (ocppRpc().RPCServer)({ protocols: ['ocpp1.6'], strictMode: true });
  rpc.on('error', () => undefined);
  const clients = new Map<string, RPCClient>();
  const calls: ReceivedCall[] = [];
  rpc.auth((accept, reject, handshake) => {
    if (o.password !== undefined && handshake.password?.toString('utf8') !== o.password) {
      reject(401, 'wrong password');
      return;
    }
    accept();
  });
  rpc.on('client', (client: RPCClient & { identity: string }) => {
    clients.set(client.identity, client);
    client.handle(({ method, params }: { method?: string; params?: Params }) => {
      const action = method ?? '';
      calls.push({ chargePointId: client.identity, action, params: params ?? {} });
      const answer = o.answers?.[action] ?? DEFAULT_ANSWERS[action];
      if (!answer) throw new Error(`the test CSMS has no answer for ${action}`);
      return answer(params ?? {}) as Promise<Record<string, unknown>>;
    });
  });
  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }) : http.createServer();
  server.on('upgrade', rpc.handleUpgrade);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const client = (id?: string) => {
    const c = id ? clients.get(id) : clients.values().next().value;
    if (!c) throw new Error(`no charge point ${id ?? ''} connected to the test CSMS`);
    return c;
  };
  return {
    url: `${o.tls ? 'wss' : 'ws'}://127.0.0.1:${port}/ocpp`,
    calls,
    of: (action) => calls.filter((c) => c.action === action).map((c) => c.params),
    call: async (action, params, id) => (await client(id).call(action, params)) as Params,
    sendRaw: (text, id) => client(id).sendRaw(text),
    drop: async (id) => {
      await client(id).close({ force: true });
    },
    close: async () => {
      await rpc.close({ force: true });
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
