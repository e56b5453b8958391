/**
 * The hub next to a bare forwarder and a bare pull server (side/bare.mjs) on the same machine, in the same run, with the
 * same certificates (mutual TLS on both legs) and the same fast CPO stub (issue 16). Each server runs in a process of
 * its own; the clients and the CPO stub run here. Rounds are interleaved (hub, bare, bare, hub, …) so that a change in
 * the machine's load falls on both, and every figure is the median over rounds. Printed as ratios hub/bare.
 *
 * CPU per forwarded request is the server process's own user+system time from /proc/<pid>/stat over a round, divided
 * by the requests of that round: it counts everything the process does for them (both TLS legs, parsing, validation,
 * recording, GC) and nothing of the clients or the stub. Without /proc (not Linux) it prints n/a.
 *
 * Both servers run as plain JavaScript under node, without tsx: the hub from the built dist/ as `serve` runs it
 * (side/hub-dist.mjs; run `npm run build` first), the bare one as side/bare.mjs. Under tsx the hub paid for the loader
 * and for esbuild's keepNames helper on every closure it creates per request; users run the built package.
 *
 * Knobs (env): BENCH_ROUNDS (3), BENCH_FORWARDS (5000 per round at 32 concurrent: the 32-client p99 is then the 50th
 * slowest; at 1500 one slow stretch decided it), BENCH_SERIAL (200 per round at
 * 1 client), BENCH_EVSES (100000), BENCH_CHUNK (4000 records per push), BENCH_WALK_PAGES (50), BENCH_FORWARDS_ONLY=1
 * (rounds of forwards only, after the same warm-up push: to profile or A/B forwarding with the store in the heap);
 * BENCH_PROFILE=<dir> writes a V8 CPU profile of each server process there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type https from 'node:https';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { loadPartnerTls } from '../../src/tls/load.js';
import { exitIfStaleDist } from '../helpers/built-cli.js';
import { makeTestCerts } from '../helpers/certs.js';
import { evseRecord, pushEvseData } from '../helpers/messages.js';
import { testPartners } from '../helpers/world.js';
import { startCpoStub } from './side/cpo-stub.js';
import { clientAgent, postJson } from './side/post.js';
import { type GcPauses, pauseMs, processCpuMs } from './side/process-cpu.js';
import { remoteStarts } from './side/remote-starts.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FORWARDS = Number(process.env.BENCH_FORWARDS ?? 5000);
const SERIAL = Number(process.env.BENCH_SERIAL ?? 200);
const EVSES = Number(process.env.BENCH_EVSES ?? 100_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 4000);
const WALK_PAGES = Number(process.env.BENCH_WALK_PAGES ?? 50);
const FORWARDS_ONLY = process.env.BENCH_FORWARDS_ONLY === '1';
const PAGE = 2000;
const CONCURRENT = 32;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

exitIfStaleDist();
const certs = await makeTestCerts(testPartners());
const partner = (key: string) => loadPartnerTls(certs.dir, testPartners().find((p) => p.key === key)!);

const cpoTls = partner('cpo-a');
const { server: cpo, url: cpoUrl } = await startCpoStub(cpoTls);

interface Server {
  name: 'hub' | 'bare';
  url: string;
  child: ChildProcess;
  lines: AsyncIterator<string>;
  emp: https.Agent;
  cpo: https.Agent;
}

async function startServer(name: 'hub' | 'bare'): Promise<Server> {
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  const script = name === 'hub' ? 'test/bench/side/hub-dist.mjs' : 'test/bench/side/bare.mjs';
  const child = spawn(process.execPath, ['--expose-gc', ...profile, script], {
    // HBS's simulated processing time per push is a wait, not work: off, as the bare server has none.
    env: { ...process.env, BENCH_CERTS: certs.dir, BENCH_CPO_URL: cpoUrl, BENCH_PUSH_PROCESSING_MS: '0' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error(`${name} exited before listening`);
  const { url } = JSON.parse(first.value) as { url: string };
  const agent = (key: string) => clientAgent(certs.hub.ca, partner(key).client, CONCURRENT);
  return { name, url, child, lines, emp: agent('emp-a'), cpo: agent('cpo-a') };
}

/** Sends a server one stdin command (side/hub-dist.mjs, side/bare.mjs) and reads its one-line JSON answer. */
async function ask<T>(s: Server, command: 'stats' | 'gc' | 'settle'): Promise<T> {
  s.child.stdin!.write(`${command}\n`);
  const next = await s.lines.next();
  if (next.done) throw new Error(`${s.name} exited before answering ${command} (its error is printed above)`);
  return JSON.parse(next.value);
}

const call = (s: Server, path: string, body: unknown, via: https.Agent) => postJson(`${s.url}${path}`, body, via);

const PUSH = '/evsepush/v23/operators/DE*CPA/data-records';
const PULL = (page: number) => `/evsepull/v23/providers/DE-EMA/data-records?page=${page}&size=${PAGE}`;
const COUNTRIES = ['DEU', 'FRA', 'AUT', 'NLD'];

/** 100k records over four countries and a 2°×2° square, so that each filter selects a real share of them. */
function record(i: number): Record<string, unknown> {
  const lat = (47 + (i % 200) / 100).toFixed(6);
  const lon = (8 + Math.floor(i / 200) / 500).toFixed(6);
  return evseRecord(`DE*CPA*E${String(i).padStart(6, '0')}`, {
    Address: { Country: COUNTRIES[i % 4], City: 'Berlin', Street: 'Hauptstraße', PostalCode: '10178', HouseNum: '1' },
    GeoCoordinates: { DecimalDegree: { Latitude: lat, Longitude: lon } },
  });
}

async function forwardRound(
  s: Server,
  n: number,
  concurrent: number,
): Promise<{ rps: number; p99: number; cpuUs: number; gcUs: number }> {
  const gc0 = await ask<GcPauses>(s, 'gc');
  const cpu0 = processCpuMs(s.child.pid);
  const t0 = performance.now();
  const latencies = await remoteStarts({
    baseUrl: s.url,
    agent: s.emp,
    to: n,
    concurrent,
    evseOf: (i) => `DE*CPA*E${String(i % EVSES).padStart(6, '0')}`,
    label: s.name,
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpuUs = ((processCpuMs(s.child.pid) - cpu0) * 1000) / n;
  // A tick for the last pause's entry to arrive.
  await new Promise((r) => setTimeout(r, 20));
  const gcUs = ((pauseMs(await ask<GcPauses>(s, 'gc')) - pauseMs(gc0)) * 1000) / n;
  return { rps: n / seconds, p99: pct(latencies, 0.99), cpuUs, gcUs };
}

async function pushAll(s: Server): Promise<{ ms: number; perChunk: number[] }> {
  const perChunk: number[] = [];
  const t0 = performance.now();
  for (let from = 0; from < EVSES; from += CHUNK) {
    const records = Array.from({ length: Math.min(CHUNK, EVSES - from) }, (_, k) => record(from + k));
    const r = await call(s, PUSH, pushEvseData('DE*CPA', records, from === 0 ? 'fullLoad' : 'insert'), s.cpo);
    if (r.json.Result !== true) throw new Error(`${s.name}: push at ${from} failed: ${JSON.stringify(r.json)}`);
    perChunk.push(r.ms);
  }
  return { ms: performance.now() - t0, perChunk };
}

async function pullMs(s: Server, page: number, body: Record<string, unknown>, expect?: number): Promise<number> {
  const r = await call(
    s,
    PULL(page),
    { ProviderID: 'DE-EMA', GeoCoordinatesResponseFormat: 'DecimalDegree', ...body },
    s.emp,
  );
  if (!Array.isArray(r.json.content))
    throw new Error(`${s.name}: pull failed: ${JSON.stringify(r.json).slice(0, 300)}`);
  if (expect !== undefined && r.json.content.length !== expect)
    throw new Error(`${s.name}: pull page ${page} has ${r.json.content.length} records, expected ${expect}`);
  return r.ms;
}

type Figures = Record<string, number[]>;
const figures: Record<'hub' | 'bare', Figures> = { hub: {}, bare: {} };
const note = (s: Server, key: string, v: number): void => {
  const list = figures[s.name][key] ?? [];
  list.push(v);
  figures[s.name][key] = list;
};

const servers = [await startServer('hub'), await startServer('bare')];
// Warm-up: connections, JIT, and the 100k EVSE store each server pulls from.
for (const s of servers) {
  await forwardRound(s, 200, CONCURRENT);
  await pushAll(s);
  await pullMs(s, 0, {});
}
let lastCall = '';
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? servers : [...servers].reverse();
  for (const s of order) {
    // A full GC outside the timed window: a round then starts from a settled heap instead of paying for the previous
    // round's 100,000-record pushes and 50 pulled pages (that debt swung the hub's CPU per forward from 1.45x to 3.0x
    // the bare server's between runs). Both servers get it.
    await ask(s, 'settle');
    const many = await forwardRound(s, FORWARDS, CONCURRENT);
    note(s, 'rps32', many.rps);
    note(s, 'p99@32', many.p99);
    note(s, 'cpuUs', many.cpuUs);
    note(s, 'gcUs', many.gcUs);
    const one = await forwardRound(s, SERIAL, 1);
    note(s, 'p99@1', one.p99);
    if (FORWARDS_ONLY) continue;
    const pushed = await pushAll(s);
    note(s, 'push100k', pushed.ms);
    // Linear: the last chunk lands in a store nearly full, the first in an empty one.
    note(s, 'chunkLastOverFirst', median(pushed.perChunk.slice(-3)) / median(pushed.perChunk.slice(1, 4)));
    const ones: number[] = [];
    for (let k = 0; k < 20; k++) {
      lastCall = new Date(Date.now() - 1).toISOString();
      const r = await call(s, PUSH, pushEvseData('DE*CPA', [record((k * 997) % EVSES)], 'update'), s.cpo);
      if (r.json.Result !== true) throw new Error(`${s.name}: one-record push failed: ${JSON.stringify(r.json)}`);
      ones.push(r.ms);
    }
    note(s, 'push1', median(ones));
    const page0: number[] = [];
    for (let k = 0; k < 3; k++) page0.push(await pullMs(s, 0, {}, Math.min(PAGE, EVSES)));
    note(s, 'page0', median(page0));
    const t0 = performance.now();
    for (let p = 0; p < Math.min(WALK_PAGES, Math.ceil(EVSES / PAGE)); p++) await pullMs(s, p, {});
    note(s, 'walk', performance.now() - t0);
    note(s, 'countries', await pullMs(s, 1, { CountryCodes: ['FRA'] }));
    note(
      s,
      'search',
      await pullMs(s, 0, {
        SearchCenter: {
          GeoCoordinates: { DecimalDegree: { Latitude: '48.000000', Longitude: '8.500000' } },
          Radius: 20,
        },
      }),
    );
    note(s, 'lastCall', await pullMs(s, 0, { LastCall: lastCall }));
  }
}

const hubStats = await ask<{ rss: number; heapUsed: number; exchanges?: number }>(servers[0]!, 'stats');
const rows: Array<[string, string, (f: Figures) => number, 'higher' | 'lower']> = [
  ['forwarded AuthorizeRemoteStart, 32 concurrent', 'req/s', (f) => median(f.rps32!), 'higher'],
  ['p99 latency, 1 client', 'ms', (f) => median(f['p99@1']!), 'lower'],
  ['p99 latency, 32 clients', 'ms', (f) => median(f['p99@32']!), 'lower'],
  ['server CPU per forwarded request', 'µs', (f) => median(f.cpuUs!), 'lower'],
  ['  of it GC pauses on the main thread', 'µs', (f) => median(f.gcUs!), 'lower'],
  [`PullEvseData page 0 (${PAGE} of ${EVSES})`, 'ms', (f) => median(f.page0!), 'lower'],
  [`full walk of ${Math.min(WALK_PAGES, Math.ceil(EVSES / PAGE))} pages`, 'ms', (f) => median(f.walk!), 'lower'],
  ['filtered pull: CountryCodes', 'ms', (f) => median(f.countries!), 'lower'],
  ['filtered pull: SearchCenter 20 km', 'ms', (f) => median(f.search!), 'lower'],
  ['filtered pull: LastCall', 'ms', (f) => median(f.lastCall!), 'lower'],
  [`one-record push into ${EVSES}`, 'ms', (f) => median(f.push1!), 'lower'],
  [`push of ${EVSES} in chunks of ${CHUNK}`, 'ms', (f) => median(f.push100k!), 'lower'],
  ['  last chunks / first chunks (1 = linear)', '×', (f) => median(f.chunkLastOverFirst!), 'lower'],
];
const [l1, l5] = loadavg();
console.log(
  `\nhub vs bare, side by side (${new Date().toISOString().slice(0, 10)}, ${ROUNDS} interleaved rounds, medians; load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)})`,
);
console.log('| measure | hub | bare | hub/bare |');
console.log('|---|---|---|---|');
for (const [label, unit, get] of rows) {
  if (FORWARDS_ONLY && !/forward|GC|^p99/.test(label)) continue;
  const h = get(figures.hub);
  const b = get(figures.bare);
  const fmt = (v: number) => (Number.isNaN(v) ? 'n/a' : v >= 100 ? v.toFixed(0) : v.toFixed(2));
  console.log(`| ${label} | ${fmt(h)} ${unit} | ${fmt(b)} ${unit} | ${(h / b).toFixed(2)} |`);
}
const added1 = median(figures.hub['p99@1']!) - median(figures.bare['p99@1']!);
const added32 = median(figures.hub['p99@32']!) - median(figures.bare['p99@32']!);
console.log(`added p99 (hub − bare): ${added1.toFixed(2)} ms at 1 client, ${added32.toFixed(2)} ms at 32`);
console.log(
  `hub process after the run: RSS ${(hubStats.rss / 2 ** 20).toFixed(0)} MiB, heap ${(hubStats.heapUsed / 2 ** 20).toFixed(0)} MiB, ${hubStats.exchanges} exchanges in memory`,
);

for (const s of servers) {
  s.emp.destroy();
  s.cpo.destroy();
  s.child.stdin!.end();
}
await Promise.all(servers.map((s) => new Promise((r) => s.child.once('exit', r))));
await new Promise<void>((r) => {
  cpo.close(() => r());
  cpo.closeAllConnections();
});
await certs.cleanup();
