import { mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/app/reference-run.js';
import { runCli } from '../helpers/built-cli.js';

/**
 * `hbs-sim demo` runs the CPO and the EMP at the same time, each with its own hub, partner and report folder, in a
 * fresh folder (no certs/ yet: made once before both start, not by both at once), and prints the EMP's lines after
 * the CPO's. With --port the roles cannot share the port and run one after the other.
 */
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-demo-both-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

const demo = (args: string[]) => runCli(['demo', ...args], cwd);

type RunTimes = { run: { startedAt: string; finishedAt: string }; summary: { verdict: string } };
const reportOf = async (dir: string): Promise<RunTimes> =>
  JSON.parse(await readFile(join(cwd, dir, 'report.json'), 'utf8'));
const span = (r: RunTimes) => [Date.parse(r.run.startedAt), Date.parse(r.run.finishedAt)] as const;

/** The line numbers of the lines naming a checklist item of each role (CPO-01, EMP-11b, …). */
function itemLines(out: string): { cpo: number[]; emp: number[]; cpoHeader: number; empHeader: number } {
  const lines = out.split('\n');
  const at = (re: RegExp) => lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  return {
    cpo: at(/\bCPO-\d/),
    emp: at(/\bEMP-\d/),
    cpoHeader: lines.findIndex((l) => l.startsWith('── Reference CPO')),
    empHeader: lines.findIndex((l) => l.startsWith('── Reference EMP')),
  };
}

describe('hbs-sim demo, both roles', () => {
  it('runs them at the same time, passes both, writes both reports, the index and reports/latest', async () => {
    const { code, out, err } = await demo(['--out', 'reports/both']);
    expect(code, `${out}\n${err}`).toBe(0);
    const cpo = await reportOf('reports/both/cpo');
    const emp = await reportOf('reports/both/emp');
    expect([cpo.summary.verdict, emp.summary.verdict]).toEqual(['passed', 'passed']);
    // Overlapping runs: each started before the other finished.
    const [cpoStart, cpoEnd] = span(cpo);
    const [empStart, empEnd] = span(emp);
    expect(cpoStart, JSON.stringify([cpo.run, emp.run])).toBeLessThan(empEnd);
    expect(empStart, JSON.stringify([cpo.run, emp.run])).toBeLessThan(cpoEnd);
    const index = await readFile(join(cwd, 'reports/both/index.html'), 'utf8');
    expect(index).toContain('href="cpo/index.html"');
    expect(index).toContain('href="emp/index.html"');
    expect(await readlink(join(cwd, 'reports/latest'))).toMatch(/both$/);
    expect((await stat(join(cwd, 'certs'))).isDirectory()).toBe(true);
    // One block per role: every CPO item line between the CPO's header and the EMP's, every EMP line after it.
    expect(out).toContain('CPO and EMP run at the same time');
    const l = itemLines(out);
    expect(l.cpoHeader).toBeGreaterThan(-1);
    expect(l.empHeader).toBeGreaterThan(l.cpoHeader);
    expect(l.cpo.length).toBeGreaterThan(20);
    expect(l.emp.length).toBeGreaterThan(17);
    expect(
      l.cpo.filter((i) => i < l.cpoHeader || i > l.empHeader),
      out,
    ).toEqual([]);
    expect(
      l.emp.filter((i) => i < l.empHeader),
      out,
    ).toEqual([]);
    expect(out.match(/^Verdict: /gm)).toHaveLength(2);
  }, 180_000);

  it('runs them one after the other on a --port, saying why', async () => {
    const port = await freePort('127.0.0.1');
    const { code, out, err } = await demo(['--grep', '^(CPO-01|EMP-01) ', '--port', String(port), '--out', 'seq']);
    expect(code, `${out}\n${err}`).toBe(0);
    expect(out).toContain(`CPO and EMP run one after the other: --port ${port}: one hub at a time can listen on it`);
    const [, cpoEnd] = span(await reportOf('seq/cpo'));
    const [empStart] = span(await reportOf('seq/emp'));
    expect(empStart).toBeGreaterThanOrEqual(cpoEnd);
  }, 120_000);
});
