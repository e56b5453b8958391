import { startHub } from '../../../src/hub/server.js';
import type { LiveFeed } from '../../../src/monitor/feed.js';
import { type MonitorOptions, mountMonitor } from '../../../src/monitor/mount.js';
import type { FrameFeed } from '../../../src/monitor/ocpp-stream.js';
import { createClock } from '../../../src/shared/clock.js';
import { Recorder } from '../../../src/shared/recorder.js';
import { type PostOptions, post, type RawResponse } from '../../helpers/http.js';
import { type TestHub, testCerts, testWorld } from '../../helpers/hub.js';
import { get } from './monitor-client.js';

export { syntheticExchange } from '../../helpers/synthetic-exchanges.js';

export interface MonitorTestHub extends TestHub {
  feed: LiveFeed;
  /** The OCPP streams' listener on the frame log, when mounted with `ocppFrames`. */
  ocppFeed: FrameFeed | undefined;
  /** GET under /monitor (path starts with `/api/...` or is ''). */
  monitor(path: string, headers?: Record<string, string>): ReturnType<typeof get>;
  monitorUrl(path: string): string;
}

/** A test hub whose monitor is mounted with short timers (heartbeat, CDR poll) and whose live feed is reachable. */
export async function startMonitorHub(
  options: MonitorOptions = {},
  recorder = new Recorder(),
): Promise<MonitorTestHub> {
  const certs = await testCerts();
  let feed: LiveFeed | undefined;
  let ocppFeed: FrameFeed | undefined;
  const hub = await startHub({
    world: testWorld(),
    tls: certs.hub,
    recorder,
    clock: createClock(1),
    extraRoutes: (app, context) => {
      ({ feed, ocppFeed } = mountMonitor(app, context, { heartbeatMs: 100, cdrPollMs: 50, ...options }));
    },
  });
  const monitorUrl = (path: string): string => `${hub.origin}/monitor${path}`;
  return {
    hub,
    certs,
    recorder,
    feed: feed!,
    ocppFeed,
    call: (partnerKey: string, path: string, body: unknown, o: PostOptions = {}): Promise<RawResponse> =>
      post(`${hub.url}${path}`, body, { ca: certs.hub.ca, client: certs.partner(partnerKey).client, ...o }),
    close: () => hub.close(),
    monitor: (path, headers) => get(monitorUrl(path), certs.hub.ca, headers),
    monitorUrl,
  };
}
