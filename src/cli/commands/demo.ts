import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { certifyReference } from '../../app/reference-run.js';
import type { HubSettingsOverrides } from '../../config/world/settings.js';
import {
  createConsoleReporter,
  multiplexProgress,
  pointLatest,
  type Report,
  renderSuiteIndex,
} from '../../harness/report/index.js';
import { defaultScenariosDir, knownActors, loadScenarios } from '../../harness/scenario/load.js';
import type { Role } from '../../oicp/operations.js';
import { messageOf, UsageError } from '../../shared/errors.js';
import { EXIT, type ExitCode } from '../../shared/exit-codes.js';
import type { Command } from '../command.js';
import { HUB_FLAG_OPTIONS, HUB_FLAGS_USAGE, hubEnvUsage, parseHubFlags } from '../hub-flags.js';
import { parseTimeScale, TIME_SCALE_PRESETS, TIME_SCALE_RANGE } from '../time-scale.js';
import { resolveWorld } from './serve.js';

const USAGE = `Usage: hbs-sim demo [options]

The whole product in one command, nothing to configure: starts the reference CPO and then the reference EMP
(correct OICP 2.3 backends, src/partners/reference/), runs the full scenario catalogue against each through the mock HBS
and the virtual counterparts, and writes the reports. Exit code as for run: 0 every item that applies passed.

Options:
  --out <dir>          report folder (default reports/demo-<time>; reports/latest points at it)
  --role <cpo|emp>     only this role (default both)
  --grep <regex>       only scenarios whose ID or title matches
  --time-scale <x>     fast (default: ${TIME_SCALE_PRESETS.fast}, the 60 s remote-start limit becomes 1.2 s), real (1: OICP's own
                       waits, about 8 minutes for the CPO and 3 for the EMP) or a number from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max}
  --world <dir>        simulator world (default: the embedded simulator/)

${HUB_FLAGS_USAGE}
  demo and --port: the hub takes a free port for each role unless --port gives one (then both roles use it, one
  after the other); the port of world.yaml and OICP_SIM_PORT is not used, so a demo never collides with a serve.

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
    const entries: Array<{ report: Report; href: string }> = [];
    let exit: ExitCode = EXIT.OK;
    for (const role of args.roles) {
      const scenarios = all.filter((s) => s.role === role && (!args.grep || args.grep.test(`${s.id} ${s.title}`)));
      if (scenarios.length === 0) continue;
      ctx.out(`\n── Reference ${role} ────────────────────────────────────────────────`);
      const progress = multiplexProgress([
        createConsoleReporter({
          stream: { write: (s: string) => process.stdout.write(s), isTTY: process.stdout.isTTY },
        }),
      ]);
      const result = await certifyReference({
        role,
        world,
        scenarios,
        cwd: ctx.cwd,
        timeScale: args.timeScale,
        logger: ctx.logger,
        progress,
        outDir: join(outDir, role.toLowerCase()),
        latest: false,
        signal: ctx.shutdownSignal,
        ...(port === undefined ? {} : { port }),
      });
      entries.push({ report: result.report, href: `${role.toLowerCase()}/` });
      exit = Math.max(exit, result.exitCode) as ExitCode;
      // Interrupted: the role under way reported its unrun items as errors; the next role does not start.
      if (ctx.shutdownSignal.aborted) break;
    }
    if (entries.length === 0) throw new UsageError(`no scenario matches --grep ${args.grep?.source}`);
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

export function parseDemoArgs(argv: string[]): {
  out?: string;
  roles: Role[];
  grep?: RegExp;
  timeScale: number;
  world?: string;
  hub: HubSettingsOverrides;
} {
  let v;
  try {
    v = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        role: { type: 'string' },
        grep: { type: 'string' },
        'time-scale': { type: 'string' },
        world: { type: 'string' },
        ...HUB_FLAG_OPTIONS,
      },
    }).values;
  } catch (e) {
    throw new UsageError(`${messageOf(e)}\n\n${USAGE}`);
  }
  const role = v.role?.toUpperCase();
  if (role !== undefined && role !== 'CPO' && role !== 'EMP')
    throw new UsageError(`--role is cpo or emp, got "${v.role}"`);
  const timeScale = parseTimeScale(v['time-scale'], TIME_SCALE_PRESETS.fast);
  let grep: RegExp | undefined;
  try {
    grep = v.grep === undefined ? undefined : new RegExp(v.grep, 'i');
  } catch (e) {
    throw new UsageError(`--grep is not a regular expression: ${messageOf(e)}`);
  }
  return {
    ...(v.out ? { out: v.out } : {}),
    roles: role ? [role] : ['CPO', 'EMP'],
    ...(grep ? { grep } : {}),
    timeScale,
    ...(v.world ? { world: v.world } : {}),
    hub: parseHubFlags(v),
  };
}
