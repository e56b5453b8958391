// The hub of test/bench/memory.ts and side-by-side.ts, run from the built dist/ as `serve` runs (src/ under tsx adds
// the loader thread's memory and esbuild's helpers, which a user's `serve` does not have). Same world as the test
// world's cpo-a and emp-a, the recorder bound serve has by default (or BENCH_RECORDER_MAX_MIB), AUP off, monitor
// mounted. Env: BENCH_CERTS, BENCH_CPO_URL, BENCH_PUSH_PROCESSING_MS, BENCH_HEAP_GROWTH_PERCENT (hub.heapGrowthPercent;
// its default otherwise), BENCH_V8_FLAGS (V8 flags set in this process before the hub starts, to try a GC setting),
// BENCH_HEAP_SAMPLE (where the sample-stop command writes V8's allocation sample; BENCH_HEAP_SAMPLE_MINOR=1 also
// counts what died young).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { HUB_DEFAULTS } from '../../../dist/config/world/schema.js';
import { startHub } from '../../../dist/hub/server.js';
import { mountMonitor } from '../../../dist/monitor/mount.js';
import { loadHubTls } from '../../../dist/tls/load.js';
import { gcCommand } from './gc-pauses.mjs';

if (process.env.BENCH_V8_FLAGS) setFlagsFromString(process.env.BENCH_V8_FLAGS);

const partner = (key, id, role) => ({ key, id, role, name: key, locked: false, subPartnerIds: [], serviceTypes: {} });
const world = {
  version: 1,
  source: 'bench',
  hub: {
    ...HUB_DEFAULTS,
    host: '127.0.0.1',
    port: 0,
    // BENCH_PUSH_PROCESSING_MS replaces the time HBS takes per push (a wait, 50 ms by default), for a bench that
    // times pushes against a server that does not wait (side-by-side.ts).
    aup: {
      ...HUB_DEFAULTS.aup,
      enabled: false,
      ...(process.env.BENCH_PUSH_PROCESSING_MS ? { pushProcessingMs: Number(process.env.BENCH_PUSH_PROCESSING_MS) } : {}),
    },
    ...(process.env.BENCH_HEAP_GROWTH_PERCENT ? { heapGrowthPercent: Number(process.env.BENCH_HEAP_GROWTH_PERCENT) } : {}),
    recorder: {
      ...HUB_DEFAULTS.recorder,
      ...(process.env.BENCH_RECORDER_MAX_MIB ? { maxMiB: Number(process.env.BENCH_RECORDER_MAX_MIB) } : {}),
    },
  },
  partners: [partner('cpo-a', 'DE*CPA', 'CPO'), partner('emp-a', 'DE-EMA', 'EMP')],
  contracts: [{ cpo: 'DE*CPA', emp: 'DE-EMA', services: ['authorization', 'reservation', 'dynamicPricing'] }],
  evseData: {},
  virtual: { stations: [], emps: [] },
};
const hub = await startHub({ world, tls: loadHubTls(process.env.BENCH_CERTS), extraRoutes: mountMonitor });
hub.context.directory.setServiceUrl('cpo-a', 'authorization', process.env.BENCH_CPO_URL);
process.stdout.write(`${JSON.stringify({ url: hub.url })}\n`);
process.stdin.setEncoding('utf8');
let inspector;
/**
 * Allocation sampling by allocation site, leaving out objects freed by a scavenge. It still counts young objects that a
 * full collection happens to free, so it overstates what is promoted; heap snapshots say what survives.
 */
async function sampling(command) {
  if (command === 'sample-start') {
    inspector = new Session();
    inspector.connect();
    await inspector.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: process.env.BENCH_HEAP_SAMPLE_MINOR === '1',
    });
  } else {
    const { profile } = await inspector.post('HeapProfiler.stopSampling');
    writeFileSync(process.env.BENCH_HEAP_SAMPLE, JSON.stringify(profile));
  }
}
process.stdin.on('data', (line) => {
  const gcAnswer = gcCommand(line.trim());
  if (gcAnswer) {
    process.stdout.write(`${JSON.stringify(gcAnswer)}\n`);
  } else if (line.trim() === 'sample-start' || line.trim() === 'sample-stop') {
    sampling(line.trim()).then(
      () => process.stdout.write('{}\n'),
      (e) => process.stdout.write(`${JSON.stringify({ error: String(e) })}\n`),
    );
  } else if (line.trim() === 'stats') {
    global.gc?.();
    const m = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, exchanges: hub.recorder.size(), recorded: hub.recorder.recordedCount(), sessions: hub.state.sessions.size(), spaces: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, [s.space_used_size, s.space_size]])) })}\n`,
    );
  }
});
process.stdin.on('end', () => void hub.close().then(() => process.exit(0)));
