/**
 * Memory of a long-running hub (issue 16: `serve` stays within 400 MiB RSS after 1 M forwarded exchanges and after
 * 1,000 pulled 2000-record pages), and its CPU per request before and after the recorder is full. A bench mode, not
 * part of `npm run bench`: `node bin/run-ts.js test/bench/memory.ts` (about 3 minutes on 2 cores at the defaults).
 *
 * The hub runs from the built dist/ (side/hub-dist.mjs: `serve`'s default recorder bound, monitor mounted, mutual TLS
 * both legs; run `npm run build` first) in a process of its own. Each segment reads its RSS and peak RSS (VmHWM) from
 * /proc without touching the hub, so the figures are what the collector leaves on its own; only the end of a phase and
 * the idle readings also ask the hub for heap and space statistics after a full GC, with where its resident memory
 * sits (side/smaps.ts) read just before that GC. CPU comes from /proc/<pid>/stat per segment.
 * Knobs (env): BENCH_MEMORY_FORWARDS (500000 remote starts = 1 M recorded exchanges), BENCH_MEMORY_PAGES (1000),
 * BENCH_EVSES (100000), BENCH_RECORDER_MAX_MIB (the hub's recorder bound; its default otherwise), BENCH_MEMORY_IDLE_S
 * (30: how long the hub is then left idle, read at 5 s, 15 s and the end, to show what it gives back once the load
 * stops), BENCH_V8_FLAGS (see side/hub-dist.mjs), BENCH_HEAP_SAMPLE=<file> with BENCH_HEAP_SAMPLE_PHASE (pages, or
 * forwards): V8's allocation sample of that phase, summed by `node test/bench/side/heap-sample-summary.mjs <file>`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
import { processCpuMs } from './side/process-cpu.js';
import { remoteStarts } from './side/remote-starts.js';
import { residentLine } from './side/smaps.js';

const FORWARDS = Number(process.env.BENCH_MEMORY_FORWARDS ?? 500_000);
const PAGES = Number(process.env.BENCH_MEMORY_PAGES ?? 1000);
const EVSES = Number(process.env.BENCH_EVSES ?? 100_000);
const CHUNK = 4000;
const PAGE = 2000;
const IDLE_S = Number(process.env.BENCH_MEMORY_IDLE_S ?? 30);
const CONCURRENT = 32;
const SEGMENTS = 10;

const certs = await makeTestCerts(testPartners());
const partner = (key: string) => loadPartnerTls(certs.dir, testPartners().find((p) => p.key === key)!);
const cpoTls = partner('cpo-a');
const { server: cpo, url: cpoUrl } = await startCpoStub(cpoTls);

// The hub from dist/, as `serve` runs it: src/ under tsx would count the loader's memory too.
exitIfStaleDist();
const child = spawn(process.execPath, ['--expose-gc', 'test/bench/side/hub-dist.mjs'], {
  env: { ...process.env, BENCH_CERTS: certs.dir, BENCH_CPO_URL: cpoUrl },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const { url } = JSON.parse((await lines.next()).value as string) as { url: string };
const agent = (key: string) => clientAgent(certs.hub.ca, partner(key).client, CONCURRENT);
const emp = agent('emp-a');
const cpoAgent = agent('cpo-a');

const call = async (path: string, body: unknown, via: https.Agent) => (await postJson(`${url}${path}`, body, via)).json;

/** RSS now and its peak so far (VmHWM), from /proc without disturbing the hub: what `ps` and a container see. */
function rss(): string {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const mib = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024);
    return `RSS ${mib('VmRSS')} MiB (peak ${mib('VmHWM')} MiB)`;
  } catch {
    return 'RSS not readable';
  }
}

/** V8's old and new space, used of committed: what the collector keeps beyond the live heap, and where. */
function spaces(bySpace: Record<string, [number, number]>): string {
  const mib = (space: string) => bySpace[space]!.map((n) => (n / 2 ** 20).toFixed(0)).join(' of ');
  return `old space ${mib('old_space')} MiB, new space ${mib('new_space')} MiB`;
}

async function stats(): Promise<string> {
  // Read before the stats' full GC: what the process holds under the load, by kind.
  const resident = residentLine(child.pid!);
  child.stdin!.write('stats\n');
  const s = JSON.parse((await lines.next()).value as string);
  return `RSS ${(s.rss / 2 ** 20).toFixed(0)} MiB, heap ${(s.heapUsed / 2 ** 20).toFixed(0)} of ${(s.heapTotal / 2 ** 20).toFixed(0)} MiB, external ${(s.external / 2 ** 20).toFixed(0)} MiB, ${s.exchanges} exchanges in memory (${s.recorded} recorded), ${s.sessions} sessions; ${spaces(s.spaces)}\n    before that GC, ${resident}`;
}

const t0 = performance.now();
const since = (): string => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
console.log(`memory bench: hub ${await stats()}`);
for (let from = 0; from < EVSES; from += CHUNK) {
  const records = Array.from({ length: Math.min(CHUNK, EVSES - from) }, (_, k) =>
    evseRecord(`DE*CPA*E${String(from + k).padStart(6, '0')}`),
  );
  const r = await call(
    '/evsepush/v23/operators/DE*CPA/data-records',
    pushEvseData('DE*CPA', records, from === 0 ? 'fullLoad' : 'insert'),
    cpoAgent,
  );
  if (r.Result !== true) throw new Error(`push failed: ${JSON.stringify(r)}`);
}
console.log(`after pushing ${EVSES} EVSEs (${since()}): ${await stats()}`);

/** BENCH_HEAP_SAMPLE=file: the hub samples its allocations during one phase (BENCH_HEAP_SAMPLE_PHASE; see hub-dist). */
async function sample(phase: 'forwards' | 'pages', what: 'sample-start' | 'sample-stop'): Promise<void> {
  if (!process.env.BENCH_HEAP_SAMPLE || (process.env.BENCH_HEAP_SAMPLE_PHASE ?? 'pages') !== phase) return;
  child.stdin!.write(`${what}\n`);
  const answer = JSON.parse((await lines.next()).value as string) as { error?: string };
  if (answer.error) throw new Error(`${what}: ${answer.error}`);
  if (what === 'sample-stop')
    console.log(`allocation sample of the ${phase} written to ${process.env.BENCH_HEAP_SAMPLE}`);
}

let next = 0;
await sample('forwards', 'sample-start');
for (let segment = 1; segment <= SEGMENTS; segment++) {
  const until = Math.round((FORWARDS * segment) / SEGMENTS);
  const count = until - next;
  const cpu0 = processCpuMs(child.pid);
  await remoteStarts({
    baseUrl: url,
    agent: emp,
    from: next,
    to: until,
    concurrent: CONCURRENT,
    evseOf: (i) => `DE*CPA*E${String(i % EVSES).padStart(6, '0')}`,
  });
  next = until;
  const us = ((processCpuMs(child.pid) - cpu0) * 1000) / count;
  const line = `${until} remote starts (${since()}): CPU ${us.toFixed(0)} µs per request; ${rss()}`;
  console.log(segment === SEGMENTS ? `${line}\n  then, after a full GC: ${await stats()}` : line);
}

await sample('forwards', 'sample-stop');
const pages = Math.ceil(EVSES / PAGE);
await sample('pages', 'sample-start');
for (let segment = 1; segment <= SEGMENTS; segment++) {
  const until = Math.round((PAGES * segment) / SEGMENTS);
  const from = Math.round((PAGES * (segment - 1)) / SEGMENTS);
  const cpu0 = processCpuMs(child.pid);
  for (let p = from; p < until; p++) {
    const r = await call(
      `/evsepull/v23/providers/DE-EMA/data-records?page=${p % pages}&size=${PAGE}`,
      { ProviderID: 'DE-EMA', GeoCoordinatesResponseFormat: 'DecimalDegree' },
      emp,
    );
    if (!Array.isArray(r.content)) throw new Error(`pull failed: ${JSON.stringify(r).slice(0, 300)}`);
  }
  const ms = (processCpuMs(child.pid) - cpu0) / (until - from);
  const line = `${until} pulled pages (${since()}): CPU ${ms.toFixed(1)} ms per page; ${rss()}`;
  console.log(segment === SEGMENTS ? `${line}\n  then, after a full GC: ${await stats()}` : line);
}
await sample('pages', 'sample-stop');
// V8 gives back what it kept for the load (its memory reducer starts after about 8 s without much allocation).
const idleFrom = performance.now();
for (const at of [5, 15, IDLE_S].filter((s, i, all) => s <= IDLE_S && all.indexOf(s) === i)) {
  await new Promise((r) => setTimeout(r, Math.max(0, at * 1000 - (performance.now() - idleFrom))));
  console.log(`idle ${at} s: ${rss()}; after a full GC: ${await stats()}`);
}
const [l1, l5] = loadavg();
console.log(`load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)}`);

emp.destroy();
cpoAgent.destroy();
child.stdin!.end();
await new Promise((r) => child.once('exit', r));
await new Promise<void>((r) => {
  cpo.close(() => r());
  cpo.closeAllConnections();
});
await certs.cleanup();
