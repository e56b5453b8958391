import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ensureWorldCerts } from '../config/world/certs.js';
import type { World } from '../config/world/types.js';
import { type Hub, startHub } from '../hub/server.js';
import { mountMonitor } from '../monitor/mount.js';
import type { FrameLog, OcppFrame } from '../ocpp/frames.js';
import { startVirtualActors, type VirtualActors } from '../partners/virtual/actors.js';
import { CONTROL_PREFIX, controlRouter } from '../partners/virtual/control.js';
import { type Clock, createClock } from '../shared/clock.js';
import { ConfigError } from '../shared/errors.js';
import { makeDirs } from '../shared/fs.js';
import { randomIds } from '../shared/ids.js';
import type { Logger } from '../shared/log.js';
import { type HubTlsMaterial, loadHubTls } from '../tls/load.js';
import { runCertsDir } from './partner-certs.js';

/**
 * What `serve` and `run` both start: certificates for every partner of the world (made when missing), the hub with
 * the process monitor and its /_sim control routes, and the virtual actors on the same clock and IDs. Whatever started is closed again when
 * a later part fails, so a failed start never leaves a port bound.
 */
export interface Simulation {
  hub: Hub;
  /** Undefined when started without them (`serve --no-virtual`). */
  actors: VirtualActors | undefined;
  clock: Clock;
  certsDir: string;
  close(): Promise<void>;
}

export async function startSimulation(options: {
  world: World;
  cwd: string;
  timeScale: number;
  /** The run's clock when the caller made one already (a reference run shares it with its partner). */
  clock?: Clock;
  logger: Logger;
  virtual?: boolean;
  /**
   * When set, /monitor and /_sim also answer callers on other machines that present it as a bearer token (the
   * monitor page also through a cookie it sets); without it they answer loopback callers only.
   */
  controlToken?: string;
  /** The run's OCPP frames (a CPO profile with charge points): shown in the monitor and written to the transcript. */
  ocppFrames?: FrameLog;
}): Promise<Simulation> {
  const { world, logger } = options;
  await checkTranscript(world.hub.transcriptPath, options.cwd);
  const { certsDir, tls } = await worldCerts(world, options.cwd, logger);
  const clock = options.clock ?? createClock(options.timeScale);
  const ids = randomIds();
  let actors: VirtualActors | undefined;
  const hub = await startHub({
    world,
    tls,
    clock,
    ids,
    logger,
    extraRoutes: (app, context) => {
      const token = options.controlToken === undefined ? {} : { controlToken: options.controlToken };
      mountMonitor(app, context, { ...token, ...(options.ocppFrames ? { ocppFrames: options.ocppFrames } : {}) });
      app.use(
        CONTROL_PREFIX,
        controlRouter(() => actors, { host: world.hub.host, ...token }),
      );
    },
  });
  try {
    if (options.virtual !== false) actors = await startVirtualActors({ world, hub, certsDir, clock, ids, logger });
  } catch (e) {
    await hub.close();
    throw e;
  }
  // Frames go to the transcript beside the exchanges, in the order they are recorded (a no-op without a transcript).
  const transcribe = (frame: OcppFrame): void => hub.recorder.transcribe('ocpp', frame);
  options.ocppFrames?.on('frame', transcribe);
  return {
    hub,
    actors,
    clock,
    certsDir,
    close: async () => {
      // Pending forwards first: the actors' own sends wait on them, and a slow partner would hold the stop.
      hub.cancelForwards();
      await actors?.close();
      await hub.close();
      options.ocppFrames?.off('frame', transcribe);
    },
  };
}

/**
 * The certificates of a world, made where missing (the CA, the hub's, each partner's, the system under test's
 * included), and the hub's TLS material read from them; none for a hub on plain HTTP. `run`, `serve` and `check`
 * all start from here, so a preflight presents the client certificate of the run that follows.
 */
export async function worldCerts(
  world: World,
  cwd: string,
  logger: Logger,
): Promise<{ certsDir: string; tls: HubTlsMaterial | undefined }> {
  const certsDir = runCertsDir(world, cwd);
  if (world.hub.transport !== 'mtls') return { certsDir, tls: undefined };
  const made = await ensureWorldCerts(world, certsDir, { logger });
  if (made.created.length > 0) logger.info({ dir: certsDir, created: made.created.length }, 'generated certificates');
  return { certsDir, tls: loadHubTls(certsDir) };
}

/**
 * The transcript is opened by the recorder as a stream whose errors surface as an unhandled event, a crash with a
 * stack trace; opening it here first turns a folder or a path without write permission into a named input error.
 */
async function checkTranscript(path: string | undefined, cwd: string): Promise<void> {
  if (!path) return;
  const file = resolve(cwd, path);
  try {
    makeDirs(dirname(file));
    await (await open(file, 'a')).close();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    const why =
      code === 'EISDIR'
        ? 'it is a folder; give --transcript a file path'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied; choose a file you may write'
          : (e as Error).message;
    throw new ConfigError('CONFIG_UNREADABLE', `cannot write the transcript ${path}: ${code}, ${why}`, {
      file: path,
      cause: e,
    });
  }
}
