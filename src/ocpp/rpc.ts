import { createRequire } from 'node:module';

/**
 * ocpp-rpc, the OCPP-J RPC library (client and server over WebSocket, strict OCPP 1.6 schema validation), as this
 * project loads it: on first use, since loading it (ws, its schema validators) costs some 170 ms that a run without
 * charge points should not pay; and through require, since it is CommonJS and re-exports its error classes with an
 * object spread, which Node's ESM loader cannot see as named exports (`import { TimeoutError } from 'ocpp-rpc'`
 * fails at run time under Node, though not under the test runner).
 */
type OcppRpc = typeof import('ocpp-rpc');

let loaded: OcppRpc | undefined;

export function ocppRpc(): OcppRpc {
  loaded ??= createRequire(import.meta.url)('ocpp-rpc') as OcppRpc;
  return loaded;
}

export type RPCClient = InstanceType<OcppRpc['RPCClient']>;
export type RPCServer = InstanceType<OcppRpc['RPCServer']>;
