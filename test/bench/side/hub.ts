/**
 * The hub as `serve --no-virtual --no-aup` runs it (default recorder bound, monitor mounted, mutual TLS), alone in
 * this process so that its CPU time is its own: the side-by-side bench (../side-by-side.ts) reads it from /proc.
 * Env: BENCH_CERTS (a certificate folder), BENCH_CPO_URL (the CPO stub's authorization Service URL).
 */
import { HUB_DEFAULTS } from '../../../src/config/world/schema.js';
import { startHub } from '../../../src/hub/server.js';
import { mountMonitor } from '../../../src/monitor/mount.js';
import { loadHubTls } from '../../../src/tls/load.js';
import { testWorld } from '../../helpers/world.js';

const world = testWorld({
  aup: { enabled: false, perMinute: {} },
  bodyLimitBytes: 4 * 1024 * 1024,
  // The recorder bound `serve` has by default (the test world sets its own), or BENCH_RECORDER_MAX_MIB.
  recorder: {
    ...HUB_DEFAULTS.recorder,
    ...(process.env.BENCH_RECORDER_MAX_MIB ? { maxMiB: Number(process.env.BENCH_RECORDER_MAX_MIB) } : {}),
  },
});
const hub = await startHub({ world, tls: loadHubTls(process.env.BENCH_CERTS!), extraRoutes: mountMonitor });
hub.context.directory.setServiceUrl('cpo-a', 'authorization', process.env.BENCH_CPO_URL!);
process.stdout.write(`${JSON.stringify({ url: hub.url })}\n`);
// The parent asks for the figures only this process knows (its memory, its recorder) with a line on stdin.
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line: string) => {
  if (line.trim() === 'stats') {
    global.gc?.();
    const m = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, exchanges: hub.recorder.size(), recorded: hub.recorder.recordedCount(), sessions: hub.state.sessions.all().length })}\n`,
    );
  }
});
process.stdin.on('end', () => void hub.close().then(() => process.exit(0)));
