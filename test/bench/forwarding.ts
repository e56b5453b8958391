/**
 * Forwarding alone, the hub only (a bench mode, not in `npm run bench`; `npm run build` first): the hub from dist/
 * (side/hub-dist.mjs, the recorder bound and heap growth `serve` has by default) and the fast CPO stub, N forwarded
 * AuthorizeRemoteStart at 32 concurrent after a warm-up, repeated ROUNDS times. Per round: the hub process's CPU per
 * forward (user+system from /proc/<pid>/stat), throughput, and its main-thread GC pauses; then what each forward
 * leaves behind in the heap (heap used after a full GC, before and after the rounds, over the forwards: the two
 * recorded exchanges and the session while the recorder is under its bound). For A/B work on the forwarding path,
 * where the side-by-side bench's bare rounds only add time: interleave runs of two builds and compare medians.
 *
 * CPU time on a shared VM moves by a third between runs: compare medians of several interleaved runs.
 *
 * Knobs (env): BENCH_FORWARDS (5000 per round: with the warm-up, the recorder stays under its bound), BENCH_ROUNDS
 * (3), BENCH_CONCURRENT (32); BENCH_NODE_FLAGS, node options for the hub process (e.g. `--trace-gc-nvp`, whose lines
 * go to the hub's stdout and are skipped here: set BENCH_HUB_STDOUT=<file> to keep them).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { loadPartnerTls } from '../../src/tls/load.js';
import { exitIfStaleDist } from '../helpers/built-cli.js';
import { makeTestCerts } from '../helpers/certs.js';
import { testPartners } from '../helpers/world.js';
import { startCpoStub } from './side/cpo-stub.js';
import { clientAgent } from './side/post.js';
import { type GcPauses, pauseMs, processCpuMs } from './side/process-cpu.js';
import { remoteStarts } from './side/remote-starts.js';

const FORWARDS = Number(process.env.BENCH_FORWARDS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 32);

exitIfStaleDist();
const certs = await makeTestCerts(testPartners());
const partner = (key: string) => loadPartnerTls(certs.dir, testPartners().find((p) => p.key === key)!);
const { server: cpo, url: cpoUrl } = await startCpoStub(partner('cpo-a'));

const child = spawn(
  process.execPath,
  ['--expose-gc', ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), 'test/bench/side/hub-dist.mjs'],
  { env: { ...process.env, BENCH_CERTS: certs.dir, BENCH_CPO_URL: cpoUrl }, stdio: ['pipe', 'pipe', 'inherit'] },
);
const keep = process.env.BENCH_HUB_STDOUT ? createWriteStream(process.env.BENCH_HUB_STDOUT) : undefined;
const replies = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
/** The hub's next JSON line; anything else it prints (a V8 trace) is passed to BENCH_HUB_STDOUT or dropped. */
async function nextReply(): Promise<Record<string, any>> {
  for (;;) {
    const line = await replies.next();
    if (line.done) throw new Error('the hub exited before answering (its error is printed above)');
    if (line.value.startsWith('{')) return JSON.parse(line.value);
    keep?.write(`${line.value}\n`);
  }
}
async function ask(command: 'stats' | 'gc'): Promise<Record<string, any>> {
  child.stdin!.write(`${command}\n`);
  return nextReply();
}
const { url } = await nextReply();
const emp = clientAgent(certs.hub.ca, partner('emp-a').client, CONCURRENT);

const forwards = (n: number) =>
  remoteStarts({
    baseUrl: url,
    agent: emp,
    to: n,
    concurrent: CONCURRENT,
    evseOf: (i) => `DE*CPA*E${String(i % 1000).padStart(6, '0')}`,
  });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await forwards(3000);
const before = await ask('stats');
const cpu: number[] = [];
const rate: number[] = [];
const gc: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const gc0 = await ask('gc');
  const c0 = processCpuMs(child.pid);
  const t0 = performance.now();
  await forwards(FORWARDS);
  cpu.push(((processCpuMs(child.pid) - c0) * 1000) / FORWARDS);
  rate.push(FORWARDS / ((performance.now() - t0) / 1000));
  await new Promise((r) => setTimeout(r, 20));
  gc.push(((pauseMs((await ask('gc')) as GcPauses) - pauseMs(gc0 as GcPauses)) * 1000) / FORWARDS);
  console.log(
    `round ${round + 1}: CPU ${cpu.at(-1)!.toFixed(0)} µs per forward, ${rate.at(-1)!.toFixed(0)} req/s, GC pauses ${gc.at(-1)!.toFixed(1)} µs per forward`,
  );
}
const after = await ask('stats');
const forwarded = ROUNDS * FORWARDS;
const [l1] = loadavg();
console.log(
  `median: CPU ${median(cpu).toFixed(0)} µs per forward, ${median(rate).toFixed(0)} req/s, GC pauses ${median(gc).toFixed(1)} µs (load average ${l1!.toFixed(2)})`,
);
const underBound = after.exchanges === after.recorded;
console.log(
  `heap after a full GC: ${((after.heapUsed - before.heapUsed) / forwarded).toFixed(0)} bytes more per forward (${after.exchanges} exchanges and ${after.sessions} sessions kept${underBound ? '' : '; the recorder reached its bound, so this undercounts an exchange: lower BENCH_FORWARDS'})`,
);

emp.destroy();
child.stdin!.end();
await new Promise((r) => child.once('exit', r));
keep?.end();
await new Promise<void>((r) => {
  cpo.close(() => r());
  cpo.closeAllConnections();
});
await certs.cleanup();
