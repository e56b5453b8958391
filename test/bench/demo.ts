/**
 * `hbs-sim demo --ocpp` end to end, as a newcomer runs it (`npm run demo`): both reference partners, the whole catalogue,
 * reports written. The target is "well under a minute on a 2-core machine"; the figure goes to the README.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtBin } from '../helpers/built-cli.js';

const bin = builtBin();
const out = await mkdtemp(join(tmpdir(), 'hbs-bench-demo-'));
const started = performance.now();
const run = spawnSync(process.execPath, [bin, 'demo', '--ocpp', '--out', join(out, 'demo')], {
  cwd: process.cwd(),
  encoding: 'utf8',
  env: { ...process.env, CI: 'true' },
});
const seconds = (performance.now() - started) / 1000;
const verdicts = run.stdout.match(/Demo finished in [\d.]+ s: (.*)\./)?.[1] ?? 'no verdict line';
// One row per item in each role's closing table: `CPO-11b  ChargingNotifications  O  PASSED …`.
const items = run.stdout.match(/^(CPO|EMP)-\w+ +\w+ +[MO] +[A-Z]+ /gm)?.length ?? 0;
console.log(
  `hbs-sim demo (${items} scenarios, both reference partners, reports written): ${seconds.toFixed(1)} s wall, exit ${run.status} (${verdicts})`,
);
await rm(out, { recursive: true, force: true });
if (run.status !== 0) {
  process.stderr.write(run.stdout + run.stderr);
  process.exitCode = 1;
}
