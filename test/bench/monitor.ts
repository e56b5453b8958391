/**
 * The process monitor with 10,000 recorded exchanges: the API calls the page makes (first page, a category, a
 * free-text search, an exchange's detail), the CSV of all of them, and the page itself. Run by `npm run bench`.
 */
import https from 'node:https';
import { startHub } from '../../src/hub/server.js';
import { mountMonitor } from '../../src/monitor/mount.js';
import { Recorder } from '../../src/shared/recorder.js';
import { makeTestCerts } from '../helpers/certs.js';
import { testPartners, testWorld } from '../helpers/hub.js';
import { syntheticExchange } from '../helpers/synthetic-exchanges.js';

const N = 10_000;
const RUNS = 20;
const certs = await makeTestCerts(testPartners());
const recorder = new Recorder({ maxInMemory: 100_000 });
const hub = await startHub({ world: testWorld(), tls: certs.hub, recorder, extraRoutes: mountMonitor });
for (let i = 1; i <= N; i++) recorder.record(syntheticExchange(i));
const agent = new https.Agent({ keepAlive: true, ca: certs.hub.ca });

function get(path: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    https
      .get(`${hub.origin}${path}`, { agent }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve({ ms: performance.now() - t0, bytes })
            : reject(new Error(`${path}: HTTP ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });
}

async function median(path: string): Promise<string> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await get(path);
    times.push(r.ms);
    bytes = r.bytes;
  }
  times.sort((a, b) => a - b);
  return `p50 ${times[Math.floor(RUNS / 2)]!.toFixed(1)} ms (${(bytes / 1024).toFixed(0)} KiB)`;
}

console.log(`monitor with ${N} exchanges — page: ${await median('/monitor')}`);
console.log(`  first page of 100: ${await median('/monitor/api/exchanges')}`);
console.log(`  CDRs tab: ${await median('/monitor/api/exchanges?category=cdr')}`);
console.log(
  `  free-text search "syn9999" (1 match, all 10k scanned): ${await median('/monitor/api/exchanges?q=syn9999')}`,
);
console.log(`  detail of one exchange: ${await median('/monitor/api/exchanges/syn5000')}`);
console.log(`  CSV of all ${N}: ${await median('/monitor/api/exchanges.csv')}`);

agent.destroy();
await hub.close();
await certs.cleanup();
