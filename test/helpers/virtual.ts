import { loadWorld } from '../../src/config/world/load.js';
import type { HubSettings, VirtualStationConfig, World } from '../../src/config/world/types.js';
import { type Hub, startHub } from '../../src/hub/server.js';
import { mountMonitor } from '../../src/monitor/mount.js';
import { startVirtualActors, type VirtualActors } from '../../src/partners/virtual/actors.js';
import { CONTROL_PREFIX, controlRouter } from '../../src/partners/virtual/control.js';
import { createClock } from '../../src/shared/clock.js';
import { randomIds } from '../../src/shared/ids.js';
import { silentLogger } from '../../src/shared/log.js';
import { Recorder } from '../../src/shared/recorder.js';
import { makeTestCerts, type TestCerts } from './certs.js';
import { post, type RawResponse } from './http.js';

/**
 * The embedded default world (simulator/) with its virtual CPO and EMP, on an ephemeral port, under a time scale of
 * 1/1000: a 5-minute Progress interval takes 300 ms. Hub timeouts are raised so that, scaled, they still leave
 * 3 s for a forwarded leg on a busy CI machine.
 */
export const TEST_TIME_SCALE = 0.001;

export interface VirtualWorld {
  world: World;
  hub: Hub;
  actors: VirtualActors;
  certs: TestCerts;
  recorder: Recorder;
  /** POSTs as a partner (by key) with its client certificate to a path under the hub's base path. */
  call(partnerKey: string, path: string, body: unknown): Promise<RawResponse>;
  close(): Promise<void>;
}

export interface VirtualWorldOptions {
  hub?: Partial<HubSettings>;
  station?: Partial<VirtualStationConfig>;
  /** Changes the world before the hub starts (e.g. register a test partner's URL). */
  edit?: (world: World) => World;
}

export async function startVirtualWorld(options: VirtualWorldOptions = {}): Promise<VirtualWorld> {
  const loaded = await loadWorld();
  let world: World = {
    ...loaded,
    hub: {
      ...loaded.hub,
      port: 0,
      timeouts: { authorizeMs: 3_000_000, remoteStartMs: 3_000_000, forwardMs: 3_000_000 },
      ...options.hub,
    },
    virtual: { ...loaded.virtual, stations: loaded.virtual.stations.map((s) => ({ ...s, ...options.station })) },
  };
  if (options.edit) world = options.edit(world);
  const certs = await makeTestCerts(world.partners);
  const recorder = new Recorder();
  const clock = createClock(TEST_TIME_SCALE);
  const ids = randomIds();
  let actors: VirtualActors | undefined;
  const hub = await startHub({
    world,
    tls: world.hub.transport === 'mtls' ? certs.hub : undefined,
    recorder,
    clock,
    ids,
    extraRoutes: (app, context) => {
      mountMonitor(app, context);
      app.use(
        CONTROL_PREFIX,
        controlRouter(() => actors),
      );
    },
  });
  try {
    actors = await startVirtualActors({ world, hub, certsDir: certs.dir, clock, ids, logger: silentLogger() });
  } catch (e) {
    await hub.close();
    await certs.cleanup();
    throw e;
  }
  const started = actors;
  return {
    world,
    hub,
    actors: started,
    certs,
    recorder,
    call: (partnerKey, path, body) =>
      post(`${hub.url}${path}`, body, { ca: certs.hub.ca, client: certs.partner(partnerKey).client }),
    close: async () => {
      await started.close();
      await hub.close();
      await certs.cleanup();
    },
  };
}

/** Polls `check` until it returns a value (not undefined/false) or `ms` real milliseconds pass. */
export async function eventually<T>(check: () => T | undefined | false, ms = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
