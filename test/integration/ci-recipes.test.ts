import { existsSync } from 'node:fs';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ciEnv,
  type Done,
  emptyProject,
  exec,
  freePort,
  killAll,
  launch,
  packTarball,
  shown,
  signalGroup,
} from '../helpers/installed.js';

/**
 * The CI recipes of examples/ci/ as a pipeline runs them (issue 14): their shell steps, in order, with their own
 * variables, in an empty project, with only what the recipe sets overridden: the package is this clone's tarball,
 * the hub port a free one, and the backend the reference CPO (`npx hbs-sim reference cpo`). The partner profile a
 * user commits is the one `hbs-sim init cpo` writes, on the reference CPO's ports. So a recipe whose install,
 * certificates, readiness wait, run or report paths break fails here. GitHub's passes against a correct backend;
 * GitLab's gates: against a backend with a fault, its job fails with the run's exit 1 and keeps the reports.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STEP_MS = 240_000;
const PROFILE = 'oicp/partner.yaml';

let work: string;
let tarball: string;
/** Process groups of the shell steps, which leave the backend running in the background. */
const groups: number[] = [];

beforeAll(async () => {
  work = await realpath(await mkdtemp(join(tmpdir(), 'hbs-sim-ci-recipes-')));
  ({ tarball } = await packTarball(work, STEP_MS));
}, STEP_MS);

afterAll(async () => {
  for (const pid of groups) signalGroup(pid, 'SIGKILL');
  killAll();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Backend {
  env: Record<string, string>;
  /** Writes the profile a user would commit: init's output, on the ports the backend listens on. */
  profile: (project: string, env: NodeJS.ProcessEnv) => Promise<void>;
}

async function referenceBackend(fault?: string): Promise<Backend> {
  const [hub, oicp, testApi] = [await freePort(), await freePort(), await freePort()];
  const start = [
    'npx --no hbs-sim reference cpo',
    `--port ${oicp} --test-port ${testApi}`,
    `--hub https://127.0.0.1:${hub}/api/oicp`,
    '--time-scale fast --profile-out backend-profile.yaml',
    ...(fault ? [`--fault ${fault}`] : []),
  ].join(' ');
  return {
    env: { OICP_SIM_PORT: String(hub), BACKEND_START: start },
    profile: async (project, env) => {
      const init = await exec('npx', ['--no', 'hbs-sim', 'init', 'cpo', '--out', PROFILE], project, STEP_MS, env);
      expect(init.code, shown(init)).toBe(0);
      const file = join(project, PROFILE);
      const text = await readFile(file, 'utf8');
      expect(text).toContain('127.0.0.1:9444');
      await writeFile(file, text.replaceAll(':9444', `:${oicp}`).replaceAll(':9544', `:${testApi}`));
    },
  };
}

/** One shell step as the runner runs it: bash, stop at the first failing command, a failing pipe fails. */
async function shell(script: string, project: string, env: NodeJS.ProcessEnv): Promise<Done> {
  const step = launch('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], project, env);
  // The group outlives the step when the step leaves the backend running: afterAll ends it.
  if (step.child.pid !== undefined) groups.push(step.child.pid);
  const timer = setTimeout(() => signalGroup(step.child.pid, 'SIGKILL'), STEP_MS);
  try {
    return await step.done;
  } finally {
    clearTimeout(timer);
  }
}

const stringsOf = (o: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries((o ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));

describe('examples/ci/github-actions.yml', () => {
  it('installs, makes the certificates, starts and waits for the backend, runs and passes; the reports it uploads exist', async () => {
    const workflow = parse(await readFile(join(ROOT, 'examples/ci/github-actions.yml'), 'utf8')) as {
      env?: object;
      jobs: Record<string, { env?: object; steps: Array<{ run?: string; uses?: string; if?: string; with?: object }> }>;
    };
    const [job] = Object.values(workflow.jobs);
    const backend = await referenceBackend();
    const project = await emptyProject(join(work, 'github'));
    const env = ciEnv({
      ...stringsOf(workflow.env),
      ...stringsOf(job!.env),
      HBS_SIM_PACKAGE: tarball,
      ...backend.env,
    });
    let failed: { step: string; result: Done } | undefined;
    const ran: string[] = [];
    for (const step of job!.steps) {
      if (step.run === undefined) continue;
      if (failed && step.if !== 'always()') continue;
      const result = await shell(step.run, project, env);
      ran.push(step.run.split('\n')[0]!);
      if (result.code !== 0) failed ??= { step: step.run, result };
      // The profile is committed in a user's repository; here it appears once the tool is installed.
      if (step.run.includes('npm install')) await backend.profile(project, env);
    }
    const log = existsSync(join(project, 'backend.log')) ? await readFile(join(project, 'backend.log'), 'utf8') : '';
    expect(failed, failed && `${failed.step}\n${shown(failed.result)}\nbackend:\n${log}`).toBeUndefined();
    expect(ran).toEqual(expect.arrayContaining([expect.stringContaining('hbs-sim run')]));
    const report = JSON.parse(await readFile(join(project, 'reports/oicp/report.json'), 'utf8')) as {
      summary: { verdict: string };
    };
    expect(report.summary.verdict).toBe('passed');
    // What the `uses:` steps upload and publish is there.
    const paths = job!.steps.flatMap((s) => {
      const w = stringsOf(s.with);
      return [w.path, w.report_paths].filter((p): p is string => p !== undefined);
    });
    expect(paths.length).toBeGreaterThan(1);
    for (const p of paths) expect(existsSync(join(project, p)), p).toBe(true);
  }, 600_000);
});

describe('examples/ci/gitlab-ci.yml', () => {
  it('fails the job with the run exit 1 against a backend with a fault, and the reports and JUnit it keeps exist', async () => {
    const file = parse(await readFile(join(ROOT, 'examples/ci/gitlab-ci.yml'), 'utf8')) as Record<
      string,
      { variables?: object; script: string[]; artifacts: { paths: string[]; reports: { junit: string } } }
    >;
    const [job] = Object.values(file);
    // Answers remote starts with StatusCode.Code 0 (a number): CPO-07 fails.
    const backend = await referenceBackend('codeAsNumber');
    const project = await emptyProject(join(work, 'gitlab'));
    const env = ciEnv({ ...stringsOf(job!.variables), HBS_SIM_PACKAGE: tarball, ...backend.env });
    const [install, ...rest] = job!.script;
    const installed = await shell(install!, project, env);
    expect(installed.code, shown(installed)).toBe(0);
    await backend.profile(project, env);
    // GitLab runs the rest of `script` as one shell session: the backend started in the background stays up.
    const result = await shell(rest.join('\n'), project, env);
    expect(result.code, shown(result)).toBe(1);
    const report = JSON.parse(await readFile(join(project, 'reports/oicp/report.json'), 'utf8')) as {
      summary: { verdict: string };
      items: Array<{ id: string; outcome: string }>;
    };
    expect(report.summary.verdict).toBe('failed');
    expect(report.items.find((i) => i.id === 'CPO-07')?.outcome).toBe('failed');
    for (const p of [...job!.artifacts.paths, job!.artifacts.reports.junit])
      expect(existsSync(join(project, p)), p).toBe(true);
  }, 600_000);
});
