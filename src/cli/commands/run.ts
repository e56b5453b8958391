import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { certify, worldWithPartner } from '../../app/certify.js';
import { PreflightStopped, requirePreflight } from '../../app/preflight.js';
import type { HubSettingsOverrides } from '../../config/world/settings.js';
import { createConsoleReporter, multiplexProgress } from '../../harness/report/index.js';
import { REPORTER_NAMES, type ReporterName } from '../../harness/report/reporters.js';
import { defaultScenariosDir, knownActors, loadScenarios, type Scenario } from '../../harness/scenario/load.js';
import { loadProfile, type PartnerProfile } from '../../harness/scenario/profile.js';
import { ConfigError, UsageError } from '../../shared/errors.js';
import { type Command, parseFlags, parseGrep } from '../command.js';
import { HUB_FLAG_OPTIONS, HUB_FLAGS_USAGE, hubEnvUsage, parseHubFlags } from '../hub-flags.js';
import { parseTimeScale, TIME_SCALE_PRESETS, TIME_SCALE_RANGE } from '../time-scale.js';
import { checkLines, isInteractive, problemText } from './check.js';
import { resolveWorld } from './serve.js';

const USAGE = `Usage: hbs-sim run [files or folders ...] --partner <profile.yaml> [options]

Runs certification scenarios against your CPO or EMP backend: starts the mock HBS and the virtual counterparts,
registers your system from its partner profile, runs the scenarios of its role in order, and writes the report.
Exit code: 0 every item that applies passed (mandatory ones, optional ones of the services your profile declares),
1 your system failed one, 2 bad input, 3 the harness could not check one, or the run was interrupted (SIGINT,
SIGTERM: the item under way ends at once; it and the items not reached are reported as error "interrupted").

Arguments:
  files or folders        scenarios (default: the embedded catalogue, scenarios/)

Options:
  --partner <file>        partner profile of the system under test (see examples/partner-cpo.yaml)
  --out <dir>             report folder (default reports/<run-id>; reports/latest points at the newest)
  --grep <regex>          only scenarios whose ID or title matches
  --tag <tag>             only scenarios with this tag (repeatable)
  --reporter <names>      files to write: ${REPORTER_NAMES.join(',')} (default all)
  --time-scale <x>        real (default: 1, OICP's own waits, for a dry run before certification), fast (${TIME_SCALE_PRESETS.fast}:
                          quick local and CI smoke runs; latency and quality figures not representative) or a
                          number from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max} that every protocol wait is multiplied by
  --item-timeout <s>      end an item still running after this many real seconds: it is an error (ITEM_DEADLINE),
                          the run goes on with the next item (default: none)
  --world <dir>           simulator world (default: the embedded simulator/)
  --no-preflight          skip the preflight's probes (by default, before item 1: HEAD to each of your URLs and
                          OPTIONS * to each trigger's server; a problem stops the run, exit 3, no report; \`hbs-sim
                          check\` runs them alone). For a backend that starts on its first real request, or whose
                          front end closes HEAD/OPTIONS connections. The test-data and prompt checks still run.

${HUB_FLAGS_USAGE}

${hubEnvUsage()}`;

interface RunArgs {
  inputs: string[];
  partner: string;
  out?: string;
  grep?: RegExp;
  tags: string[];
  reporters: ReporterName[];
  timeScale: number;
  itemTimeoutMs?: number;
  /** --host, --port, --transport, --base-path, --hub-name. */
  hub: HubSettingsOverrides;
  world?: string;
  preflight: boolean;
}

export function parseRunArgs(argv: string[]): RunArgs {
  const parsed = parseFlags(
    argv,
    {
      partner: { type: 'string' },
      out: { type: 'string' },
      grep: { type: 'string' },
      tag: { type: 'string', multiple: true },
      reporter: { type: 'string' },
      'time-scale': { type: 'string' },
      'item-timeout': { type: 'string' },
      ...HUB_FLAG_OPTIONS,
      world: { type: 'string' },
      'no-preflight': { type: 'boolean' },
    },
    USAGE,
  );
  const v = parsed.values;
  if (!v.partner)
    throw new UsageError(
      `--partner <profile.yaml> is required: the system under test (see examples/partner-cpo.yaml)\n\n${USAGE}`,
    );
  const grep = parseGrep(v.grep);
  const reporters = (v.reporter ?? REPORTER_NAMES.join(',')).split(',').map((r) => r.trim());
  const unknown = reporters.filter((r) => !(REPORTER_NAMES as readonly string[]).includes(r));
  if (unknown.length > 0)
    throw new UsageError(`--reporter ${unknown.join(',')} is unknown; choose from ${REPORTER_NAMES.join(', ')}`);
  const timeScale = parseTimeScale(v['time-scale'], TIME_SCALE_PRESETS.real);
  const itemTimeout = v['item-timeout'] === undefined ? undefined : Number(v['item-timeout']);
  if (itemTimeout !== undefined && !(itemTimeout > 0 && Number.isFinite(itemTimeout)))
    throw new UsageError(`--item-timeout must be a positive number of seconds, got "${v['item-timeout']}"`);
  const hub = parseHubFlags(v);
  return {
    inputs: parsed.positionals,
    partner: v.partner,
    ...(v.out ? { out: v.out } : {}),
    ...(grep ? { grep } : {}),
    tags: v.tag ?? [],
    reporters: reporters as RunArgs['reporters'],
    timeScale,
    ...(itemTimeout === undefined ? {} : { itemTimeoutMs: itemTimeout * 1000 }),
    hub,
    ...(v.world ? { world: v.world } : {}),
    preflight: !v['no-preflight'],
  };
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run certification scenarios against your system and write the report',
  usage: USAGE,
  // The console reporter tells the story; hub and actor info logs would drown it (--log-level info brings them back).
  defaultLogLevel: 'warn',
  async run(ctx) {
    const args = parseRunArgs(ctx.argv);
    const base = await resolveWorld(ctx, args.world, args.hub);
    const profile = await loadProfile(resolve(ctx.cwd, args.partner));
    const scenarios = select(
      await loadScenarios(args.inputs.length ? args.inputs : [defaultScenariosDir()], knownActors(base), ctx.cwd),
      profile,
      args,
    );
    const world = worldWithPartner(base, profile);
    const progress = multiplexProgress([
      createConsoleReporter({ stream: { write: (s: string) => process.stdout.write(s), isTTY: process.stdout.isTTY } }),
    ]);
    // Once the hub is up, before item 1: a backend that is down or refuses the hub's certificate is said once, not in
    // every item. No report then: none of its items ran, and a report of errors would stand in reports/latest.
    const beforeFirstItem = async (): Promise<void> => {
      const checked = await requirePreflight({
        world,
        profile,
        scenarios,
        cwd: ctx.cwd,
        logger: ctx.logger,
        interactive: isInteractive(),
        network: args.preflight,
        // certify boots the charge points before item 1 and names a CSMS that refuses them.
        ocpp: false,
      });
      ctx.out(
        `Preflight: ${checked.checks.length} checks passed${args.preflight ? '' : ' (--no-preflight: no probes)'}`,
      );
    };
    const result = await certify({
      beforeFirstItem,
      world,
      profile,
      scenarios,
      cwd: ctx.cwd,
      timeScale: args.timeScale,
      logger: ctx.logger,
      progress,
      reporters: args.reporters,
      ...(args.out ? { outDir: resolve(ctx.cwd, args.out) } : {}),
      signal: ctx.shutdownSignal,
      ...(args.itemTimeoutMs ? { itemTimeoutMs: args.itemTimeoutMs } : {}),
      onHub: (hubUrl, paths) =>
        ctx.out(
          `Hub ${hubUrl} — your system calls it as ${profile.partner.id} with ${paths.partnerClient.cert} (key ${paths.partnerClient.key}, CA ${paths.ca.cert})`,
        ),
      ...(isInteractive() ? { prompt: ask } : {}),
    }).catch((e: unknown) => {
      if (!(e instanceof PreflightStopped)) throw e;
      process.stderr.write(
        `Preflight: the run did not start and wrote no report (\`hbs-sim check --partner ${args.partner}\` repeats these checks).\n${checkLines(e.result).join('\n')}\n\n${problemText(e.result)}\n`,
      );
      return e.result;
    });
    return result.exitCode;
  },
};

function select(all: Scenario[], profile: PartnerProfile, args: RunArgs): Scenario[] {
  const chosen = all.filter(
    (s) =>
      s.role === profile.partner.role &&
      (!args.grep || args.grep.test(`${s.id} ${s.title}`)) &&
      args.tags.every((t) => s.tags?.includes(t)),
  );
  if (chosen.length === 0) {
    throw new ConfigError(
      'CONFIG_NOT_FOUND',
      `no ${profile.partner.role} scenario matches${args.grep ? ` --grep ${args.grep.source}` : ''}${args.tags.length ? ` --tag ${args.tags.join(',')}` : ''}; \`hbs-sim validate\` lists them`,
    );
  }
  return chosen;
}

async function ask(text: string): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    await rl.question(`\n>> ${text}\n   Press Enter when done. `);
  } finally {
    rl.close();
  }
}
