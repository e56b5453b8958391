import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { certifyReference } from '../../app/reference-run.js';
import { worldCerts } from '../../app/simulation.js';
import type { HubSettingsOverrides } from '../../config/world/settings.js';
import {
  createConsoleReporter,
  multiplexProgress,
  pointLatest,
  type Report,
  renderSuiteIndex,
  usesColor,
} from '../../harness/report/index.js';
import { defaultScenariosDir, knownActors, loadScenarios } from '../../harness/scenario/load.js';
import type { Role } from '../../oicp/operations.js';
import { messageOf, UsageError } from '../../shared/errors.js';
import { EXIT, type ExitCode } from '../../shared/exit-codes.js';
import { type Command, parseFlags, parseGrep } from '../command.js';
import { holdOutput } from '../held-output.js';
import { HUB_FLAG_OPTIONS, HUB_FLAGS_USAGE, hubEnvUsage, parseHubFlags } from '../hub-flags.js';
import { parseTimeScale, TIME_SCALE_PRESETS, TIME_SCALE_RANGE } from '../time-scale.js';
import { resolveWorld } from './serve.js';

const USAGE = `Usage: hbs-sim demo [options]

The whole product in one command, nothing to configure: starts the reference CPO and the reference EMP (correct
OICP 2.3 backends, src/partners/reference/) at the same time, each with its own mock HBS, virtual counterparts and
report folder, runs the full scenario catalogue against each, and writes the reports. The CPO's progress prints as it
goes, the EMP's after it. Exit code as for run: 0 every item that applies passed.

Options:
  --out <dir>          report folder (default reports/demo-<time>; reports/latest points at it)
  --role <cpo|emp>     only this role (default both)
  --grep <regex>       only scenarios whose ID or title matches
  --ocpp               certify the reference CPO through OCPP 1.6-J: virtual charge points at its CSMS perform the
                       station actions (swipe, setStatus, reportError, stop) instead of its test API
  --time-scale <x>     fast (default: ${TIME_SCALE_PRESETS.fast}, the 60 s remote-start limit becomes 2.2 s), real (1: OICP's own
                       waits, about 8 minutes for the CPO and 3 for the EMP) or a number from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max}
  --world <dir>        simulator world (default: the embedded simulator/)

${HUB_FLAGS_USAGE}
  demo and --port: each role's hub takes a free port unless --port gives one (then both roles use it, one after
  the other, as with a hub.transcriptPath); the port of world.yaml and OICP_SIM_PORT is not used, so a demo never
  collides with a serve.

${hubEnvUsage()}`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the full catalogue against the reference CPO and EMP and write the reports',
  usage: USAGE,
  defaultLogLevel: 'warn',
  async run(ctx) {
    const args = parseDemoArgs(ctx.argv);
    const { port, ...hub } = args.hub;
    const world = await resolveWorld(ctx, args.world, hub);
    const all = await loadScenarios([defaultScenariosDir()], knownActors(world), ctx.cwd);
    const startedAt = new Date();
    const outDir = resolve(
      ctx.cwd,
      args.out ?? join('reports', `demo-${startedAt.toISOString().replace(/[-:]|\.\d+/g, '')}`),
    );
    const runs = args.roles
      .map((role) => ({
        role,
        scenarios: all.filter((s) => s.role === role && (!args.grep || args.grep.test(`${s.id} ${s.title}`))),
      }))
      .filter((r) => r.scenarios.length > 0);
    if (runs.length === 0) throw new UsageError(`no scenario matches --grep ${args.grep?.source}`);
    const blocker = concurrencyBlocker(port, world.hub.transcriptPath);
    const together = runs.length > 1 && blocker === undefined;
    const runRole = async (
      { role, scenarios }: (typeof runs)[number],
      write: (chunk: string) => void,
      color: boolean | undefined,
    ): Promise<{ report: Report; href: string; exitCode: ExitCode }> => {
      write(`\n── Reference ${role} ────────────────────────────────────────────────\n`);
      const progress = multiplexProgress([
        createConsoleReporter({
          stream: { write, isTTY: color === undefined && process.stdout.isTTY },
          ...(color === undefined ? {} : { color }),
        }),
      ]);
      const result = await certifyReference({
        role,
        world,
        scenarios,
        cwd: ctx.cwd,
        timeScale: args.timeScale,
        // Both roles log to the same stderr at the same time: each line names its role.
        logger: together ? ctx.logger.child({ role }) : ctx.logger,
        progress,
        outDir: join(outDir, role.toLowerCase()),
        latest: false,
        signal: ctx.shutdownSignal,
        ...(port === undefined ? {} : { port }),
        ...(args.ocpp ? { ocpp: true } : {}),
      });
      return { report: result.report, href: `${role.toLowerCase()}/`, exitCode: result.exitCode };
    };
    const stdout = (chunk: string): void => {
      process.stdout.write(chunk);
    };
    const finished: Array<{ report: Report; href: string; exitCode: ExitCode }> = [];
    if (together) {
      // Made once here: two hubs and two partners checking the one certs/ folder at once would each generate what
      // is missing and overwrite the other's CA or leaves. Afterwards every later check finds all and writes nothing.
      await worldCerts(world, ctx.cwd, ctx.logger);
      const [first, ...later] = runs.map((r) => r.role);
      ctx.out(
        `\n${runs.map((r) => r.role).join(' and ')} run at the same time, each with its own hub on its own port; the ${later.join(' and ')}'s output follows the ${first}'s.`,
      );
      // The first role prints as it goes; each other role's output is held and printed once the one before it is
      // done, so the transcript reads exactly as one role after the other did. The signal reaches every role.
      const color = usesColor(process.stdout, process.env);
      const outputs = runs.map((r, i) =>
        i === 0 ? undefined : holdOutput(stdout, { what: `the reference ${r.role}'s output` }),
      );
      const pending = runs.map((r, i) => {
        const held = outputs[i];
        return held ? runRole(r, (c) => held.write(c), color) : runRole(r, stdout, undefined);
      });
      // allSettled observes every role now, so one failing while an earlier one still prints is no unhandled
      // rejection; each held output is let out once the role before it is done.
      const outcomes = Promise.allSettled(pending);
      for (const [i, p] of pending.entries()) {
        outputs[i]?.release();
        await p.catch(() => undefined);
      }
      const settled = await outcomes;
      // A role that failed to run (no report) fails the demo as it did one role after the other: its error is
      // printed, no index written. The other role was let finish: its report is complete and on disk.
      for (const s of settled) if (s.status === 'rejected') throw s.reason;
      for (const s of settled) if (s.status === 'fulfilled') finished.push(s.value);
    } else {
      if (runs.length > 1) ctx.out(`\n${runs.map((r) => r.role).join(' and ')} run one after the other: ${blocker}.`);
      for (const run of runs) {
        finished.push(await runRole(run, stdout, undefined));
        // Interrupted: the role under way reported its unrun items as errors; the next role does not start.
        if (ctx.shutdownSignal.aborted) break;
      }
    }
    const entries = finished.map(({ report, href }) => ({ report, href }));
    const exit = Math.max(EXIT.OK, ...finished.map((f) => f.exitCode)) as ExitCode;
    const index = join(outDir, 'index.html');
    await writeFile(index, renderSuiteIndex('hbs-sim demo: the catalogue against the reference partners', entries));
    try {
      await pointLatest(join(resolve(outDir, '..'), 'latest'), outDir);
    } catch (e) {
      ctx.logger.warn(`could not point reports/latest at ${outDir}: ${messageOf(e)}`);
    }
    const seconds = ((Date.now() - startedAt.getTime()) / 1000).toFixed(1);
    ctx.out(
      `\nDemo finished in ${seconds} s: ${entries.map((e) => `${e.report.partner.role} ${e.report.summary.verdict}`).join(', ')}.`,
    );
    ctx.out(`Open ${relative(ctx.cwd, index) || index}`);
    return exit;
  },
};

/**
 * Why the roles cannot run at the same time, or undefined when they can. A fixed --port can be listened on by one
 * hub at a time (`demo --port` runs the roles one after the other, as the usage says, rather than refusing: the port
 * was asked for so that something can reach the hub there). A transcript file would take both hubs' exchanges
 * mixed, under exchange IDs that each hub counts from 1.
 */
export function concurrencyBlocker(port: number | undefined, transcriptPath: string | undefined): string | undefined {
  if (port !== undefined && port !== 0) return `--port ${port}: one hub at a time can listen on it`;
  if (transcriptPath !== undefined) return `the transcript ${transcriptPath} would mix both hubs' exchanges`;
  return undefined;
}

export function parseDemoArgs(argv: string[]): {
  out?: string;
  roles: Role[];
  grep?: RegExp;
  timeScale: number;
  world?: string;
  ocpp: boolean;
  hub: HubSettingsOverrides;
} {
  const v = parseFlags(
    argv,
    {
      out: { type: 'string' },
      role: { type: 'string' },
      grep: { type: 'string' },
      'time-scale': { type: 'string' },
      world: { type: 'string' },
      ocpp: { type: 'boolean' },
      ...HUB_FLAG_OPTIONS,
    },
    USAGE,
    false,
  ).values;
  const role = v.role?.toUpperCase();
  if (role !== undefined && role !== 'CPO' && role !== 'EMP')
    throw new UsageError(`--role is cpo or emp, got "${v.role}"`);
  const timeScale = parseTimeScale(v['time-scale'], TIME_SCALE_PRESETS.fast);
  if (v.ocpp === true && role === 'EMP')
    throw new UsageError('--ocpp certifies the reference CPO through its charge points; drop --role emp, or --ocpp');
  const grep = parseGrep(v.grep);
  return {
    ...(v.out ? { out: v.out } : {}),
    roles: role ? [role] : ['CPO', 'EMP'],
    ...(grep ? { grep } : {}),
    timeScale,
    ...(v.world ? { world: v.world } : {}),
    ocpp: v.ocpp === true,
    hub: parseHubFlags(v),
  };
}
