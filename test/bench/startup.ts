/**
 * Start-up of the built CLI, as a user or a CI job starts it (issue 14: `--version` within 0.3 s, `serve` answering
 * its first mutual-TLS request within 0.8 s), next to a bare `node -e ''` on the same machine. Each figure is the
 * median of RUNS spawns after one warm-up (which also makes the certificates in a temporary working directory).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { certPaths } from '../../src/tls/load.js';
import { BIN_PATH, exitIfStaleDist } from '../helpers/built-cli.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const SERVE_ARGS = ['serve', '--port', '0', '--no-virtual'];
const EMP = { key: 'my-emp', id: 'DE-MYE' };

exitIfStaleDist();

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall time of one run to its exit; CPU time from the shell's `times` is not portable, so the child reports its own. */
function run(args: string[], cwd: string): Timing {
  const t0 = performance.now();
  const done = spawnSync(process.execPath, ['--require', CPU_REPORTER, ...args], { cwd, encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (done.status !== 0) throw new Error(`node ${args.join(' ')} exited ${done.status}: ${done.stderr}`);
  const cpuMs = Number(/cpu-ms=([\d.]+)/.exec(done.stderr)?.[1] ?? Number.NaN);
  return { wallMs, cpuMs };
}

/**
 * CPU seconds a child has used (user + system, Linux /proc), or NaN elsewhere: wall time on a machine other jobs
 * load says little, CPU time says what the start costs.
 */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Spawns `serve`, waits for its URL on stdout, and measures spawn to the first answered request. */
async function serveToFirstAnswer(cwd: string): Promise<Timing> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN_PATH, ...SERVE_ARGS], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await listeningUrl(child);
    const paths = certPaths(join(cwd, 'certs'), EMP.key);
    const status = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ ProviderID: EMP.id, EvseID: ['DE*MYC*E0001'] });
      const req = https.request(
        `${url}/evsepull/v21/providers/${EMP.id}/status-records-by-id`,
        {
          method: 'POST',
          ca: readFileSync(paths.ca.cert),
          cert: readFileSync(paths.partnerClient.cert),
          key: readFileSync(paths.partnerClient.key),
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const wallMs = performance.now() - t0;
    const cpuMs = cpuMsOf(child.pid);
    if (status !== 200) throw new Error(`serve answered the first request with HTTP ${status}`);
    return { wallMs, cpuMs };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /HBS simulator listening: (https:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code} before listening: ${err}`)));
  });
}

const cwd = await mkdtemp(join(tmpdir(), 'hbs-bench-startup-'));
// Preloaded into the short runs: prints the process's own CPU time (user + system) as it exits.
const CPU_REPORTER = join(cwd, 'cpu-reporter.cjs');
await writeFile(
  CPU_REPORTER,
  "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('cpu-ms=' + (u.user + u.system) / 1000 + '\\n'); });\n",
);
try {
  await serveToFirstAnswer(cwd); // warm-up: makes certs/ and fills the file cache
  const bare: Timing[] = [];
  const version: Timing[] = [];
  const serve: Timing[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(run(['-e', ''], cwd));
    version.push(run([BIN_PATH, '--version'], cwd));
    serve.push(await serveToFirstAnswer(cwd));
  }
  const base = median(bare.map((t) => t.wallMs));
  const line = (what: string, timings: Timing[], target?: number): string => {
    const wall = median(timings.map((t) => t.wallMs));
    const cpu = median(timings.map((t) => t.cpuMs));
    return `  ${what}: ${(wall / 1000).toFixed(2)} s wall (${(wall / base).toFixed(1)}× node -e ''), cpu ${(cpu / 1000).toFixed(2)} s${target ? `; target ≤ ${target} s` : ''}`;
  };
  console.log(`startup, median of ${RUNS} runs of the built dist/ (load average ${loadavg()[0]!.toFixed(1)}):`);
  console.log(line("node -e ''", bare));
  console.log(line('hbs-sim --version', version, 0.3));
  console.log(line(`hbs-sim ${SERVE_ARGS.join(' ')} to its first answered mTLS request`, serve, 0.8));
} finally {
  await rm(cwd, { recursive: true, force: true });
}
