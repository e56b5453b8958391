import { mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Done,
  emptyProject,
  exec as execIn,
  freePort,
  killAll,
  launch,
  packTarball,
  shown,
  signalGroup,
} from '../helpers/installed.js';

/**
 * The package as another project gets it (issue 14): `npm pack`, install the tarball into an empty project from the
 * npm cache (`--offline`: `npm ci` on this clone already put every dependency there, and the test must not reach
 * a registry), then `npx hbs-sim` from that project only. The reference CPO, started with `npx hbs-sim reference
 * cpo`, is the backend under test. Sized for a loaded 2-core machine: packing, installing and two catalogue runs.
 */
const TIME_SCALE = '0.02';
const STEP_MS = 240_000;

let work: string;
let project: string;
const exec = (command: string, args: string[], cwd: string): Promise<Done> => execIn(command, args, cwd, STEP_MS);

beforeAll(async () => {
  work = await realpath(await mkdtemp(join(tmpdir(), 'hbs-sim-install-')));
  const { tarball, files } = await packTarball(work, STEP_MS);
  const leaked = files.filter((p) => /^(test|certs|reports|node_modules)\//.test(p));
  expect(leaked, 'files the package must not ship').toEqual([]);
  project = await emptyProject(join(work, 'project'));
  const install = await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], project);
  expect(install.code, shown(install)).toBe(0);
  expect(JSON.parse(await readFile(join(project, 'package.json'), 'utf8'))).toMatchObject({
    dependencies: { 'hbs-simulator': expect.stringMatching(/^file:/) },
  });
}, STEP_MS * 2);

afterAll(async () => {
  killAll();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed tarball installed into an empty project', () => {
  it(
    'npx hbs-sim --version prints the package version from the installed copy, not the clone',
    async () => {
      const installed = join(project, 'node_modules', 'hbs-simulator');
      expect(await readdir(installed)).toEqual(expect.arrayContaining(['bin', 'dist', 'scenarios', 'simulator']));
      // Only the compiled code: no TypeScript source reaches the installed copy (src/ holds the report schema only).
      const shipped = await readdir(installed, { recursive: true });
      expect(shipped.filter((f) => f.endsWith('.ts'))).toEqual([]);
      const version = await exec('npx', ['hbs-sim', '--version'], project);
      expect(version.code, shown(version)).toBe(0);
      const { version: packed } = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
        version: string;
      };
      expect(version.out.trim()).toBe(packed);
    },
    STEP_MS,
  );

  it(
    'npx hbs-sim demo --role cpo runs the CPO catalogue against the reference CPO and passes',
    async () => {
      const demo = await exec(
        'npx',
        ['hbs-sim', 'demo', '--role', 'cpo', '--out', 'demo', '--time-scale', TIME_SCALE],
        project,
      );
      expect(demo.code, shown(demo)).toBe(0);
      const report = JSON.parse(
        await readFile(join(project, 'demo', 'cpo', 'report.json'), 'utf8').catch(async () => {
          throw new Error(
            `no demo/cpo/report.json; demo wrote ${await readdir(join(project, 'demo'))}\n${shown(demo)}`,
          );
        }),
      ) as { summary: { verdict: string } };
      expect(report.summary.verdict).toBe('passed');
    },
    STEP_MS,
  );

  it(
    'npx hbs-sim run certifies the reference CPO started with npx hbs-sim reference cpo, from its profile',
    async () => {
      const port = await freePort(); // the hub `run` starts: the reference CPO calls it there
      const reference = launch(
        'npx',
        [
          '--no',
          'hbs-sim',
          'reference',
          'cpo',
          '--hub',
          `https://127.0.0.1:${port}/api/oicp`,
          '--time-scale',
          TIME_SCALE,
          '--profile-out',
          'ref-cpo.yaml',
        ],
        project,
      );
      const deadline = Date.now() + STEP_MS;
      while (!/Partner profile: .+/.test(reference.out()) && Date.now() < deadline && reference.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      expect(reference.out()).toMatch(/Partner profile: .+/);
      const run = await exec(
        'npx',
        [
          '--no',
          'hbs-sim',
          'run',
          '--partner',
          'ref-cpo.yaml',
          '--port',
          String(port),
          '--time-scale',
          TIME_SCALE,
          '--out',
          'run',
        ],
        project,
      );
      signalGroup(reference.child.pid, 'SIGTERM');
      const stopped = await reference.done;
      expect(run.code, `${shown(run)}\nreference:\n${shown(stopped)}`).toBe(0);
      const report = JSON.parse(await readFile(join(project, 'run', 'report.json'), 'utf8')) as {
        summary: { verdict: string };
        items: { id: string }[];
      };
      expect(report.summary.verdict).toBe('passed');
      expect(report.items.map((i) => i.id)).toContain('CPO-07');
      expect(report.items.length).toBeGreaterThan(10);
    },
    STEP_MS,
  );
});
