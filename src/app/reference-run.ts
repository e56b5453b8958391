import { createServer } from 'node:net';
import { join } from 'node:path';
import type { World } from '../config/world/types.js';
import type { Scenario } from '../harness/scenario/load.js';
import { loadProfile } from '../harness/scenario/profile.js';
import type { Role } from '../oicp/operations.js';
import { startReference } from '../partners/reference/start.js';
import { createClock } from '../shared/clock.js';
import { SimError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { type Certification, type CertifyOptions, certify, worldWithPartner } from './certify.js';

/**
 * The catalogue against a reference partner, in one process but the way a user runs it against their own backend:
 * the partner starts, writes its partner profile, and `certify` loads that file like `hbs-sim run --partner` does.
 * Used by `hbs-sim demo` and by the self-test (with faults switched on).
 */
export interface ReferenceRunOptions {
  role: Role;
  /** The world as loaded (it holds partners/reference-cpo.yaml and reference-emp.yaml). */
  world: World;
  scenarios: Scenario[];
  cwd: string;
  timeScale: number;
  logger: Logger;
  progress: CertifyOptions['progress'];
  /** Report folder; the partner profile is written into it too. */
  outDir: string;
  faults?: readonly string[];
  /** Quirks of the reference partner (behaviours of real backends that are not defects). */
  quirks?: readonly string[];
  /** CPO: certify it through OCPP charge points at its CSMS instead of its station triggers (`demo --ocpp`). */
  ocpp?: boolean;
  reporters?: CertifyOptions['reporters'];
  latest?: string | false;
  /** Aborted to interrupt the run (see CertifyOptions.signal). */
  signal?: AbortSignal;
  /** Picks the hub's port before the hub listens; tests hand in one that returns a taken port first. */
  pickPort?: (host: string) => Promise<number>;
  /**
   * The hub's port, fixed (`demo --port`); 0 or absent picks a free one per run. A fixed port that is taken is the
   * hub's own error naming it, with no second attempt: the user chose that port.
   */
  port?: number;
}

const PORT_ATTEMPTS = 3;

export async function certifyReference(o: ReferenceRunOptions): Promise<Certification & { profilePath: string }> {
  // The partner must know the hub's URL before the hub's world can hold the partner's profile, so the port is
  // picked first; another process may take it before the hub listens. Then the whole start is tried again.
  if (o.port !== undefined && o.port !== 0) return certifyOnPort(o, o.port);
  const tried: number[] = [];
  for (;;) {
    const port = await (o.pickPort ?? freePort)(o.world.hub.host);
    tried.push(port);
    try {
      return await certifyOnPort(o, port);
    } catch (e) {
      const taken =
        e instanceof SimError &&
        e.code === 'HUB_LISTEN' &&
        (e.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
      if (!taken) throw e;
      // The hub's own message points at --port, which a reference run does not take: name what happened instead.
      if (tried.length === PORT_ATTEMPTS) {
        throw new SimError(
          'HUB_LISTEN',
          `port ${tried.join(', then ')} on ${o.world.hub.host} was taken each time between picking it and the hub listening; another process is taking free ports as they open: stop it, or run again`,
          { cause: e },
        );
      }
      o.logger.warn(
        { port, attempt: tried.length },
        'the hub port picked for the reference run was taken before the hub listened; picking another',
      );
    }
  }
}

async function certifyOnPort(o: ReferenceRunOptions, port: number): Promise<Certification & { profilePath: string }> {
  const world = { ...o.world, hub: { ...o.world.hub, port } };
  // One clock for the partner and the hub: both measure the same protocol time.
  const clock = createClock(o.timeScale);
  const { partner, profilePath } = await startReference({
    role: o.role,
    world,
    cwd: o.cwd,
    clock,
    timeScale: o.timeScale,
    logger: o.logger,
    profileOut: join(o.outDir, 'partner-profile.yaml'),
    ...(o.faults ? { faults: o.faults } : {}),
    ...(o.quirks ? { quirks: o.quirks } : {}),
    ...(o.ocpp && o.role === 'CPO' ? { ocpp: true } : {}),
  });
  try {
    const profile = await loadProfile(profilePath);
    const result = await certify({
      world: worldWithPartner(world, profile),
      profile,
      scenarios: o.scenarios,
      cwd: o.cwd,
      timeScale: o.timeScale,
      clock,
      logger: o.logger,
      progress: o.progress,
      outDir: o.outDir,
      ...(o.reporters ? { reporters: o.reporters } : {}),
      ...(o.latest !== undefined ? { latest: o.latest } : {}),
      beforeClose: () => partner.idle(),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return { ...result, profilePath };
  } finally {
    await partner.close();
  }
}

export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
