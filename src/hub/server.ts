import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import express, { type Express } from 'express';
import type { World } from '../config/world/types.js';
import { OicpClient } from '../net/oicp-client.js';
import { answerExpectContinue } from '../net/read-body.js';
import { ack } from '../oicp/answers.js';
import { MAX_JSON_DEPTH, valueTooDeep } from '../oicp/limits.js';
import type { EvseDataRecord } from '../oicp/messages.js';
import { type SchemaViolation, validateComponent } from '../oicp/validate.js';
import { Background } from '../shared/background.js';
import { type Clock, createClock } from '../shared/clock.js';
import { ConfigError, SimError, TlsError } from '../shared/errors.js';
import { type IdSource, randomIds } from '../shared/ids.js';
import { type Logger, silentLogger } from '../shared/log.js';
import { Recorder } from '../shared/recorder.js';
import type { HubTlsMaterial } from '../tls/load.js';
import { AupGuard } from './aup.js';
import { clientTrust } from './client-trust.js';
import type { HandlerTable, HubContext } from './context.js';
import { PartnerDirectory } from './directory.js';
import { Forwarder } from './forward.js';
import { HANDLERS } from './handlers/index.js';
import { boundHeapGrowth } from './heap-growth.js';
import { handleOicpRequest } from './pipeline.js';
import type { HubPort } from './port.js';
import { RouteTable } from './routes.js';
import { createHubState } from './state/index.js';
import { DEFAULT_ENDED_RETENTION_HOURS } from './state/sessions.js';

export interface HubOptions {
  world: World;
  /** Required when world.hub.transport is `mtls`. */
  tls?: HubTlsMaterial;
  clock?: Clock;
  ids?: IdSource;
  logger?: Logger;
  recorder?: Recorder;
  /**
   * Mounted before the OICP routes (the process monitor, simulator control); they never see OICP paths. The hub does
   * not know them: whoever starts it (app/simulation.ts) mounts what it wants.
   */
  extraRoutes?: (app: Express, hub: HubPort) => void;
  /** Replaces operation handlers (tests use it to make one fail and watch the pipeline answer). */
  handlers?: Partial<HandlerTable>;
}

/** The running hub: its port for the layers above, and its whole context for the hub's own tests. */
export interface Hub extends HubPort {
  context: HubContext;
}

/**
 * Starts the mock HBS: express on node:https with client certificates requested (or plain HTTP, labelled as such),
 * holding Hubject's state and forwarding between partners. @see OICP 2.3 CPO 01 / EMP 01 (Communication Paradigms:
 * REST over HTTPS, Security) and CPO 02 / EMP 02 (Services and Operations)
 */
export async function startHub(options: HubOptions): Promise<Hub> {
  const { world } = options;
  const settings = world.hub;
  if (settings.transport === 'mtls' && !options.tls) {
    throw new TlsError(
      'TLS_MISSING',
      'the hub runs mutual TLS but no certificates were given; run `npx hbs-sim certs` or use --transport http',
    );
  }
  boundHeapGrowth(settings.heapGrowthPercent);
  const clock = options.clock ?? createClock();
  const ids = options.ids ?? randomIds();
  const logger = options.logger ?? silentLogger();
  const recorder =
    options.recorder ??
    new Recorder({
      transcriptPath: settings.transcriptPath,
      maxInMemory: settings.recorder.maxExchanges,
      maxInMemoryBytes: settings.recorder.maxMiB * 1024 * 1024,
      logger,
    });
  const client = new OicpClient({ clock, ids, recorder });
  const trust = settings.transport === 'mtls' ? clientTrust(options.tls!.ca, world.partners) : undefined;
  const context: HubContext = {
    ...(trust ? { clientTrust: trust } : {}),
    settings,
    directory: new PartnerDirectory(world),
    // Ended sessions are kept DEFAULT_ENDED_RETENTION_HOURS protocol hours: a scaled run forgets them as much sooner.
    state: createHubState({
      sessions: {
        endedRetentionMs: clock.scale(DEFAULT_ENDED_RETENTION_HOURS * 3_600_000),
        now: () => clock.now().getTime(),
      },
    }),
    forwarder: new Forwarder(client, clock, options.tls, settings.timeouts),
    clock,
    ids,
    logger,
    recorder,
    background: new Background(logger),
    aup: new AupGuard(settings.aup, clock),
  };
  preloadEvseData(context, world);

  const deps = {
    hub: context,
    routes: new RouteTable(settings.basePath),
    aup: context.aup,
    handlers: { ...HANDLERS, ...options.handlers },
  };
  const held = { evseIds: [] as string[], sessionIds: [] as string[] };
  const app = express();
  app.disable('x-powered-by');
  // Routes are mounted before the server listens; the address is filled in once it does.
  const address = { url: '', origin: '', port: 0 };
  const hub: Hub = {
    get url() {
      return address.url;
    },
    get origin() {
      return address.origin;
    },
    get port() {
      return address.port;
    },
    context,
    settings,
    clock,
    logger,
    recorder,
    state: context.state,
    registerServiceUrl: (partnerKey, service, url) => context.directory.setServiceUrl(partnerKey, service, url),
    throttle: (partnerId, operation, times, retryAfterMs) =>
      context.aup.throttle(partnerId, operation, times, retryAfterMs),
    clearThrottles: () => context.aup.clearThrottles(),
    hold: (records) => {
      const now = clock.now();
      if (records.evseData) {
        const { operatorId, operatorName, records: evses } = records.evseData;
        context.state.evseData.hold(operatorId, operatorName, evses, now.toISOString());
        held.evseIds.push(...evses.map((r) => r.EvseID));
      }
      if (records.cdrs) {
        const clash = records.cdrs.cdrs.filter((c) => context.state.cdrs.forSession(c.SessionID));
        if (clash.length > 0) throw new Error(`CDR already held for session ${clash[0]!.SessionID}`);
        for (const cdr of records.cdrs.cdrs) {
          context.state.cdrs.add({
            cdr,
            operatorId: records.cdrs.operatorId,
            providerId: records.cdrs.providerId,
            receivedAt: now.toISOString(),
            receivedAtMs: now.getTime(),
            forwardStatus: 'NOT_FORWARDED',
            forwardInfo: 'held by a scenario for paging; fetched with GetChargeDetailRecords',
          });
          held.sessionIds.push(cdr.SessionID);
        }
      }
    },
    releaseHeld: () => {
      const count = held.evseIds.length + held.sessionIds.length;
      context.state.evseData.release(held.evseIds);
      for (const id of held.sessionIds) context.state.cdrs.remove(id);
      held.evseIds = [];
      held.sessionIds = [];
      return count;
    },
    sendAsHbs: (partner, operation, body, forwardOptions) =>
      context.forwarder.forward(partner, operation, body, forwardOptions),
    cancelForwards: () => context.forwarder.cancelAll(),
    idle: () => context.background.idle(),
    close: async () => {
      await context.background.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      client.close();
      if (!options.recorder) await recorder.close();
    },
  };
  options.extraRoutes?.(app, hub);
  const oicp = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    // The pipeline answers its own failures in the operation's shape; this only keeps a bug there from escaping.
    handleOicpRequest(deps, req, res).catch((e: unknown) => {
      logger.error({ err: e }, 'unexpected failure in the hub pipeline');
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(ack(false, '001', 'HBS simulator internal error')));
      }
    });
  };
  // Whatever the extra routes do not answer (a mistyped path too) gets the pipeline's 404 in OICP shape.
  app.use(oicp);
  // OICP paths go straight to the pipeline: the extra routes never see them (see HubOptions.extraRoutes), and
  // express's router walk cost about 5 % of a forwarded request for nothing.
  // A base path of `/` would take every path: the extra routes then keep going through express first.
  const base = settings.basePath.replace(/\/+$/, '');
  const oicpPrefix = base ? `${base}/` : undefined;
  const dispatch = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (oicpPrefix && (req.url ?? '').startsWith(oicpPrefix)) oicp(req, res);
    else app(req, res);
  };

  const server =
    settings.transport === 'mtls'
      ? https.createServer(
          {
            key: options.tls!.server.key,
            cert: options.tls!.server.cert,
            // The hub CA, plus each partner's own client CA (which identifies that partner only: client-trust.ts).
            ca: trust!.ca,
            requestCert: true,
            rejectUnauthorized: false,
            minVersion: 'TLSv1.2',
          },
          dispatch,
        )
      : http.createServer(dispatch);
  // A connection keeps the client certificate it was opened with: TLS 1.2 renegotiation (the one way to present
  // another on the same socket) is refused, which also lets the pipeline read the identity once per connection.
  server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
  // Node answers `Expect: 100-continue` itself unless told otherwise; an OICP body whose Content-Length is already
  // over the limit is not invited, so its sender gets the 413 instead of sending megabytes into a closing socket.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if ((req.url ?? '').startsWith(settings.basePath)) answerExpectContinue(req, res, settings.bodyLimitBytes);
    else res.writeContinue();
    server.emit('request', req, res);
  });
  await listen(server, settings.host, settings.port);
  const port = (server.address() as AddressInfo).port;
  const scheme = settings.transport === 'mtls' ? 'https' : 'http';
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const origin = `${scheme}://${host}:${port}`;
  logger.info(
    { url: `${origin}${settings.basePath}`, transport: settings.transport },
    settings.transport === 'http'
      ? 'hub listening on PLAIN HTTP (no client certificates; not how Hubject runs)'
      : 'hub listening (mutual TLS)',
  );

  address.url = `${origin}${settings.basePath}`;
  address.origin = origin;
  address.port = port;
  return hub;
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      const why =
        e.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use`
          : e.code === 'EACCES'
            ? `no permission to listen on ${host}:${port}`
            : e.message;
      reject(
        new SimError('HUB_LISTEN', `${why}; choose another with --port or OICP_SIM_PORT (0 picks a free port)`, {
          cause: e,
        }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Levels a PullEvseData answer adds around a held record (the page, its content array). */
const PULL_PAGE_NESTING = 2;

/** EVSE data the world says HBS already holds goes through the same checks as a fullLoad push. */
function preloadEvseData(hub: HubContext, world: World): void {
  for (const [operatorId, records] of Object.entries(world.evseData)) {
    const partner = hub.directory.byCertificateId(operatorId);
    // Held data is served in every PullEvseData page, so it keeps the limits inbound pushes keep.
    const problems: Array<SchemaViolation & { index: number }> = records.flatMap((r, index) =>
      valueTooDeep(r, MAX_JSON_DEPTH - PULL_PAGE_NESTING)
        ? [
            {
              pointer: '',
              message: `nested deeper than an EVSE record may be (${MAX_JSON_DEPTH - PULL_PAGE_NESTING} levels); remove the extra nesting`,
              severity: 'error' as const,
              index,
            },
          ]
        : validateComponent('EvseDataRecord', r)
            .filter((v) => v.severity === 'error')
            .map((v) => ({ ...v, index })),
    );
    if (problems.length > 0 || !partner) {
      throw new ConfigError('CONFIG_INVALID', `EVSE data for ${operatorId} in ${world.source} is not valid OICP`, {
        fieldErrors: partner
          ? problems.map((p) => ({ path: `/EvseDataRecord/${p.index}${p.pointer}`, message: p.message }))
          : [{ path: '', message: `no CPO with OperatorID ${operatorId} in the world` }],
      });
    }
    hub.state.evseData.apply(partner.id, partner.name, 'fullLoad', records as EvseDataRecord[], hub.clock.now());
  }
}
