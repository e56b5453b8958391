import type { Partner, World } from '../../config/world/types.js';
import { localUrl } from '../../net/local-guards.js';
import type { OutboundTls } from '../../net/oicp-client.js';
import { SERVICE_TYPES, type ServiceType } from '../../oicp/operations.js';
import { normalizePartnerId } from '../../oicp/patterns.js';
import type { Clock } from '../../shared/clock.js';
import { SimError } from '../../shared/errors.js';
import type { IdSource } from '../../shared/ids.js';
import type { Logger } from '../../shared/log.js';
import { loadPartnerTls, type PartnerTlsMaterial } from '../../tls/load.js';
import { VirtualEmp } from '../emp/emp.js';
import { type EndpointHandlers, PartnerEndpoint } from '../kit/endpoint.js';
import { FaultBook } from '../kit/faults.js';
import { HubLink } from '../kit/hub-link.js';
import { VirtualStation } from '../station/station.js';

/**
 * Starts the partners the simulator plays (simulator/virtual/*.yaml) next to a running hub: each gets its own
 * HTTPS endpoint (its partner server certificate, the hub's client certificate required), registers that endpoint
 * as its Service URL for every service type it has Online Request on, and calls the hub with its own client
 * certificate. Stations push their EVSE data and statuses before this resolves.
 */

/** What the actors need of the hub they join: where to call it, and their Service URLs registered with it. */
export interface HubAccess {
  url: string;
  registerServiceUrl(partnerKey: string, service: ServiceType, url: string): void;
}

export interface VirtualActorsOptions {
  world: World;
  hub: HubAccess;
  /** Certificates folder (`hbs-sim certs` output); unused when the hub runs plain HTTP. */
  certsDir: string;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
}

export interface VirtualActors {
  stations: VirtualStation[];
  emps: VirtualEmp[];
  faults: FaultBook;
  /** The station owning an EvseID, or the one with this key/OperatorID. */
  station(ref: string): VirtualStation | undefined;
  /** The EMP with this key or ProviderID. */
  emp(ref: string): VirtualEmp | undefined;
  /** Resolves when no push, notification or CDR of any actor is pending. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startVirtualActors(options: VirtualActorsOptions): Promise<VirtualActors> {
  const { world, hub, clock, logger } = options;
  const faults = new FaultBook();
  const endpoints: PartnerEndpoint[] = [];
  const links: HubLink[] = [];
  const stations: VirtualStation[] = [];
  const emps: VirtualEmp[] = [];
  const t = world.hub.timeouts;
  // Well past any hub-side limit (twice it, whatever the time scale), so a slow forward ends with the hub's own
  // answer (310, NotAuthorized), not with the actor giving up first.
  const timeoutMs = 2 * Math.max(t.authorizeMs, t.remoteStartMs, t.forwardMs) + 10_000;

  const wire = async (
    key: string,
    handlers: () => EndpointHandlers,
    actorStart: () => Promise<void>,
    tls: PartnerTlsMaterial | undefined,
  ): Promise<void> => {
    const endpoint = new PartnerEndpoint({
      actor: key,
      handlers: handlers(),
      faults,
      clock,
      logger,
      ...(tls ? { tls: { server: tls.server, ca: tls.ca } } : {}),
    });
    endpoints.push(endpoint);
    const url = await endpoint.listen();
    const partner = requirePartner(world, key);
    for (const service of SERVICE_TYPES) {
      if (partner.serviceTypes[service]?.onlineRequest) hub.registerServiceUrl(key, service, url);
    }
    logger.info({ actor: key, url }, 'virtual actor listening');
    await actorStart();
  };

  const actors: VirtualActors = {
    stations,
    emps,
    faults,
    station: (ref) => {
      const up = ref.toUpperCase();
      return (
        stations.find((s) => s.key === ref || s.operatorId.toUpperCase() === up) ?? stations.find((s) => s.hasEvse(ref))
      );
    },
    emp: (ref) => emps.find((e) => e.key === ref || e.providerId.toUpperCase() === ref.toUpperCase()),
    idle: async () => {
      await Promise.all(stations.map((s) => s.idle()));
    },
    close: async () => {
      for (const l of links) l.interrupt();
      await Promise.all(stations.map((s) => s.close()));
      await Promise.all(endpoints.map((e) => e.close()));
      for (const l of links) l.close();
    },
  };

  try {
    for (const config of world.virtual.emps) {
      const { link, tls } = linkFor(options, requirePartner(world, config.partnerKey), timeoutMs);
      links.push(link);
      const emp = new VirtualEmp({ config, link, clock });
      emps.push(emp);
      await wire(
        config.partnerKey,
        () => emp.handlers(),
        () => emp.start(),
        tls,
      );
    }
    for (const config of world.virtual.stations) {
      const { link, tls } = linkFor(options, requirePartner(world, config.partnerKey), timeoutMs);
      links.push(link);
      const station = new VirtualStation({ config, link, faults, clock, logger });
      stations.push(station);
      await wire(
        config.partnerKey,
        () => station.handlers(),
        () => station.start(),
        tls,
      );
    }
  } catch (e) {
    await actors.close();
    throw e;
  }
  return actors;
}

function requirePartner(world: World, key: string): Partner {
  const partner = world.partners.find((p) => p.key === key);
  if (partner) return partner;
  // A partner under test that took a virtual actor's ID replaced that actor's partner in the run's world.
  const actors = virtualIds(world);
  const actor = actors.find((a) => a.key === key);
  const clash = actor && world.partners.find((p) => normalizePartnerId(p.id) === normalizePartnerId(actor.id));
  if (actor && clash) {
    throw new SimError(
      'CONFIG_INVALID',
      `partner ${clash.key} has ${actor.field} ${clash.id}, the ID of the simulator's own ${actor.role} (${key}), which plays your counterpart; ` +
        `give your partner profile its own ID (not ${actors.map((a) => a.id).join(', ')}), e.g. the one on your Hubject certificate`,
    );
  }
  throw new SimError('SIM_START', `virtual actor ${key} has no partner file partners/${key}.yaml`);
}

/** The OICP IDs the virtual actors use, by partner key. */
function virtualIds(world: World): Array<{ key: string; id: string; role: string; field: string }> {
  return [
    ...world.virtual.stations.map((v) => ({
      key: v.partnerKey,
      id: v.operatorId,
      role: 'virtual CPO',
      field: 'OperatorID',
    })),
    ...world.virtual.emps.map((v) => ({
      key: v.partnerKey,
      id: v.providerId,
      role: 'virtual EMP',
      field: 'ProviderID',
    })),
  ];
}

function linkFor(
  options: VirtualActorsOptions,
  partner: Partner,
  timeoutMs: number,
): { link: HubLink; tls?: PartnerTlsMaterial } {
  const tls = options.world.hub.transport === 'mtls' ? loadPartnerTls(options.certsDir, partner) : undefined;
  // A hub listening on every interface (0.0.0.0, ::) is called over loopback, which its certificate names; on another
  // address of this machine (127.0.0.2, a LAN address) it is the same hub, whose certificate names localhost.
  const hubUrl = localUrl(options.hub.url);
  const named = ['127.0.0.1', '[::1]', 'localhost'].includes(new URL(hubUrl).hostname);
  const outbound: OutboundTls | undefined = tls
    ? { ca: tls.ca, cert: tls.client.cert, key: tls.client.key, ...(named ? {} : { servername: 'localhost' }) }
    : undefined;
  const link = new HubLink({
    hubUrl,
    partnerId: partner.id,
    role: partner.role,
    clock: options.clock,
    ids: options.ids,
    timeoutMs,
    ...(outbound ? { tls: outbound } : {}),
  });
  return { link, ...(tls ? { tls } : {}) };
}
