/**
 * Hub throughput on this machine: forwarded AuthorizeRemoteStart (EMP → hub → CPO → hub → EMP, all mutual TLS with
 * keep-alive) and a 2000-record PullEvseData page. Run with `npm run bench`; figures go to the README.
 */
import type https from 'node:https';
import { startHub } from '../../src/hub/server.js';
import { mountMonitor } from '../../src/monitor/mount.js';
import { Recorder } from '../../src/shared/recorder.js';
import { makeTestCerts } from '../helpers/certs.js';
import { testPartners, testWorld } from '../helpers/hub.js';
import { evseRecord, pushEvseData } from '../helpers/messages.js';
import { startCpoStub } from './side/cpo-stub.js';
import { clientAgent, postJson } from './side/post.js';
import { remoteStarts } from './side/remote-starts.js';

const REMOTE_STARTS = Number(process.env.BENCH_N ?? 3000);
const CONCURRENCY = 16;

const certs = await makeTestCerts(testPartners());
const world = testWorld({ aup: { enabled: false, perMinute: {} }, bodyLimitBytes: 8 * 1024 * 1024 });
const recorder = new Recorder({ maxInMemory: 100_000 });
const hub = await startHub({ world, tls: certs.hub, recorder, extraRoutes: mountMonitor });
const cpoTls = certs.partner('cpo-a');
const { server: cpo, url: cpoUrl } = await startCpoStub(cpoTls);
hub.context.directory.setServiceUrl('cpo-a', 'authorization', cpoUrl);

const agent = (key: string): https.Agent => clientAgent(certs.hub.ca, certs.partner(key).client, CONCURRENCY);
const empAgent = agent('emp-a');
const cpoAgent = agent('cpo-a');

const call = (path: string, body: unknown, via: https.Agent) => postJson(`${hub.url}${path}`, body, via);

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

await call(
  '/evsepush/v23/operators/DE*CPA/data-records',
  pushEvseData(
    'DE*CPA',
    Array.from({ length: 5000 }, (_, i) => evseRecord(`DE*CPA*E${i}`)),
  ),
  cpoAgent,
);

const t0 = performance.now();
const latencies = await remoteStarts({
  baseUrl: hub.url,
  agent: empAgent,
  to: REMOTE_STARTS,
  concurrent: CONCURRENCY,
  evseOf: (i) => `DE*CPA*E${i % 5000}`,
});
const seconds = (performance.now() - t0) / 1000;

const pulls: number[] = [];
for (let i = 0; i < 10; i++) {
  const r = await call(
    `/evsepull/v23/providers/DE-EMA/data-records?page=${i % 2}&size=2000`,
    { ProviderID: 'DE-EMA', GeoCoordinatesResponseFormat: 'Google' },
    empAgent,
  );
  if (r.json.numberOfElements !== 2000) throw new Error('pull returned a short page');
  pulls.push(r.ms);
}

const mem = process.memoryUsage();
console.log(
  `forwarded AuthorizeRemoteStart (mTLS both legs, concurrency ${CONCURRENCY}): ${REMOTE_STARTS} in ${seconds.toFixed(2)} s = ${(REMOTE_STARTS / seconds).toFixed(0)} req/s; latency p50 ${pct(latencies, 0.5).toFixed(1)} ms, p95 ${pct(latencies, 0.95).toFixed(1)} ms`,
);
console.log(
  `PullEvseData page of 2000 records (of 5000): p50 ${pct(pulls, 0.5).toFixed(1)} ms, max ${Math.max(...pulls).toFixed(1)} ms`,
);
console.log(
  `exchanges recorded: ${recorder.all().length}; RSS ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);

empAgent.destroy();
cpoAgent.destroy();
await new Promise<void>((r) => {
  cpo.close(() => r());
  cpo.closeAllConnections();
});
await hub.close();
await certs.cleanup();

// The hub next to a bare forwarder and a bare pull server, as ratios (issue 16).
await import('./side-by-side.js');
await import('./monitor.js');
await import('./demo.js');
await import('./startup.js');
