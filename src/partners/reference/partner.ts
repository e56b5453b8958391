import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Partner } from '../../config/world/types.js';
import { loopbackOnly } from '../../net/local-only.js';
import type { OperationId, Role } from '../../oicp/operations.js';
import type { Clock } from '../../shared/clock.js';
import { messageOf, SimError } from '../../shared/errors.js';
import { randomIds } from '../../shared/ids.js';
import type { Logger } from '../../shared/log.js';
import { loadPartnerTls } from '../../tls/load.js';
import { type EndpointHandlers, PartnerEndpoint } from '../kit/endpoint.js';
import { FaultBook } from '../kit/faults.js';
import { HubLink, type HubSender } from '../kit/hub-link.js';
import { jsonErrors, jsonRoute } from '../virtual/http-api.js';
import { parseFaultNames, REFERENCE_FAULTS, type ReferenceFaultName } from './faults.js';
import { Misbehaviour } from './misbehaviour.js';
import { parseQuirkNames, Quirks } from './quirks.js';

/**
 * What both reference partners are made of, as a real backend is: an OICP endpoint HBS calls (mutual TLS with the
 * certificates of `hbs-sim certs`, or plain HTTP), a client that calls HBS with the partner's own certificate, and
 * a test API on a separate loopback port through which the harness's triggers make it act. Their domain logic
 * is the simulator's own station and EMP (src/partners/station, src/partners/emp); faults are switched on at the edges.
 */

export interface ReferenceOptions {
  /** The partner file it plays (simulator/partners/reference-cpo.yaml or reference-emp.yaml). */
  partner: Partner;
  /** HBS's OICP base URL, e.g. https://127.0.0.1:8443/api/oicp. */
  hubUrl: string;
  /** Certificates folder for mutual TLS; omit for plain HTTP both ways. */
  certsDir?: string;
  clock: Clock;
  logger: Logger;
  faults?: readonly string[];
  /** Quirks: behaviours of real backends that are not defects (src/partners/reference/quirks.ts). */
  quirks?: readonly string[];
  /** OICP endpoint port (default: a free one). */
  port?: number;
  /** Test API port (default: a free one). */
  testPort?: number;
  /** Serve the OICP endpoint over plain HTTP (a local backend without TLS); it still calls HBS with its certificate. */
  plainHttp?: boolean;
  /**
   * Serve each operation at a path of its own (`/partner-api/authorize-remote-start`) instead of the standard OICP
   * paths, and register full per-operation URLs with a query string, as partners may do at Hubject.
   */
  customUrls?: boolean;
  /** Protocol ms to wait for HBS: longer than any HBS timeout, so its own answer arrives. */
  hubTimeoutMs?: number;
  /** CPO: also run a CSMS its EVSEs' OCPP charge points connect to (one per EVSE); the profile then names them. */
  ocpp?: boolean;
}

export interface ReferencePartner {
  role: Role;
  partnerId: string;
  /** The Service URL HBS calls (its OICP endpoint, standard paths below it). */
  oicpUrl: string;
  /** The test API, e.g. http://127.0.0.1:40123/test. */
  testUrl: string;
  /** With customUrls: the full URL HBS calls per operation, `{operatorID}`/`{providerID}` left for HBS to fill. */
  operationUrls?: Partial<Record<OperationId, string>>;
  misbehaviour: Misbehaviour;
  quirks: Quirks;
  /** CPO with `ocpp`: its CSMS and the charge points that may connect to it. */
  ocpp?: {
    url: string;
    chargePoints: Array<{ id: string; connectors: Array<{ connectorId: number; evseId: string }> }>;
  };
  /** Resolves when nothing it sends on its own (pushes, notifications, CDRs) is pending. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface Wiring {
  link: HubSender;
  misbehaviour: Misbehaviour;
  quirks: Quirks;
  /** Ends the link's waits for a Retry-After, before the partner waits for its own sends to finish. */
  interrupt(): void;
  /** Starts the endpoint and the test API; `routes` adds the role's test actions. */
  listen(
    handlers: EndpointHandlers,
    routes: (route: ReturnType<typeof jsonRoute>) => void,
  ): Promise<Pick<ReferencePartner, 'oicpUrl' | 'testUrl' | 'operationUrls'>>;
  close(): Promise<void>;
}

export function wire(options: ReferenceOptions, pins?: (evcoId: string) => string | undefined): Wiring {
  const { partner, clock, logger } = options;
  const misbehaviour = new Misbehaviour(clock, partner.id, parseFaultNames(options.faults ?? [], partner.role));
  const quirks = new Quirks(parseQuirkNames(options.quirks ?? [], partner.role));
  const tls = options.certsDir ? loadPartnerTls(options.certsDir, partner) : undefined;
  const hubLink = new HubLink({
    hubUrl: options.hubUrl,
    partnerId: partner.id,
    role: partner.role,
    clock,
    ids: randomIds(),
    timeoutMs: options.hubTimeoutMs ?? 130_000,
    sequentialPushes: () => !misbehaviour.has('parallelPushes'),
    on429: () => misbehaviour.on429(),
    ...(tls ? { tls: { ca: tls.ca, cert: tls.client.cert, key: tls.client.key } } : {}),
  });
  let endpoint: PartnerEndpoint | undefined;
  let testServer: http.Server | undefined;

  return {
    link: misbehaviour.link(quirks.link(hubLink), pins),
    misbehaviour,
    quirks,
    interrupt: () => hubLink.interrupt(),
    async listen(handlers, routes) {
      const paths = options.customUrls ? customPaths(handlers) : undefined;
      endpoint = new PartnerEndpoint({
        actor: partner.key,
        handlers: quirks.handlers(misbehaviour.handlers(handlers)),
        screen: (operation, body, violations) => quirks.screen(operation, body, violations),
        closeAfter: (status, body) => quirks.closeAfter(status, body),
        faults: new FaultBook(),
        clock,
        logger,
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(tls && !options.plainHttp ? { tls: { server: tls.server, ca: tls.ca } } : {}),
        ...(paths ? { paths } : {}),
      });
      const oicpUrl = await endpoint.listen();
      const own = partner.role === 'CPO' ? 'operatorID={operatorID}' : 'providerID={providerID}';
      const operationUrls =
        paths &&
        Object.fromEntries(
          Object.entries(paths).map(([op, path]) => [op, `${new URL(oicpUrl).origin}${path}?${own}&via=hbs`]),
        );
      const app = express();
      const router = express.Router();
      router.use(loopbackOnly, express.json({ limit: '256kb' }));
      const route = jsonRoute(router);
      routes((method, path, handler) => route(method, path, (req) => quirks.testAction(() => handler(req))));
      route('get', '/faults', () => ({
        active: misbehaviour.list(),
        available: faultsOf(partner.role),
        quirks: quirks.list(),
      }));
      route('put', '/faults', (req) => {
        const names = (req.body as { faults?: unknown } | undefined)?.faults;
        if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
          throw new SimError(
            'SIM_INPUT',
            'the body is {"faults": ["name", ...]} (an empty list switches them all off)',
          );
        misbehaviour.set(parseFaultNames(names, partner.role));
        return { active: misbehaviour.list() };
      });
      router.use(jsonErrors);
      app.use('/test', router);
      testServer = http.createServer(app);
      const server = testServer;
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e) =>
          reject(
            new SimError('SIM_START', `the reference ${partner.role}'s test API could not listen: ${messageOf(e)}`, {
              cause: e,
            }),
          ),
        );
        server.listen(options.testPort ?? 0, '127.0.0.1', resolve);
      });
      return {
        oicpUrl,
        testUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/test`,
        ...(operationUrls ? { operationUrls } : {}),
      };
    },
    async close() {
      await endpoint?.close();
      const server = testServer;
      if (server)
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      hubLink.close();
    },
  };
}

function faultsOf(role: Role): Record<string, string> {
  return Object.fromEntries(
    (Object.entries(REFERENCE_FAULTS) as Array<[ReferenceFaultName, (typeof REFERENCE_FAULTS)[ReferenceFaultName]]>)
      .filter(([, f]) => f.role === role)
      .map(([n, f]) => [n, f.description]),
  );
}

/** `AuthorizeRemoteStart` → `/partner-api/authorize-remote-start`: one path per operation, none of them OICP's. */
function customPaths(handlers: EndpointHandlers): Partial<Record<OperationId, string>> {
  return Object.fromEntries(
    (Object.keys(handlers) as OperationId[]).map((op) => [
      op,
      `/partner-api/${op.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`,
    ]),
  );
}
