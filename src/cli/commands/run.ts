import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { certify, worldWithPartner } from '../../app/certify.js';
import { createConsoleReporter, multiplexProgress } from '../../harness/report/index.js';
import { REPORTER_NAMES, type ReporterName } from '../../harness/report/reporters.js';
import { defaultScenariosDir, knownActors, loadScenarios, type Scenario } from '../../harness/scenario/load.js';
import { loadProfile, type PartnerProfile } from '../../harness/scenario/profile.js';
import {
  missingServices,
  missingTestData,
  missingTestDataMessage,
  testDataProblems,
} from '../../harness/scenario/test-data.js';
import { ConfigError, messageOf, UsageError } from '../../shared/errors.js';
import type { Command } from '../command.js';
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
  --time-scale <x>        compress protocol waits, e.g. 0.05 (default 1: real timeouts, for dry runs)
  --item-timeout <s>      end an item still running after this many real seconds: it is an error (ITEM_DEADLINE),
                          the run goes on with the next item (default: none)
  --port <n>              hub port your system calls (default from world.yaml: 8443; 0 = a free one)
  --world <dir>           simulator world (default: the embedded simulator/)`;

interface RunArgs {
  inputs: string[];
  partner: string;
  out?: string;
  grep?: RegExp;
  tags: string[];
  reporters: ReporterName[];
  timeScale: number;
  itemTimeoutMs?: number;
  port?: number;
  world?: string;
}

export function parseRunArgs(argv: string[]): RunArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        partner: { type: 'string' },
        out: { type: 'string' },
        grep: { type: 'string' },
        tag: { type: 'string', multiple: true },
        reporter: { type: 'string' },
        'time-scale': { type: 'string' },
        'item-timeout': { type: 'string' },
        port: { type: 'string' },
        world: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(`${messageOf(e)}\n\n${USAGE}`);
  }
  const v = parsed.values;
  if (!v.partner)
    throw new UsageError(
      `--partner <profile.yaml> is required: the system under test (see examples/partner-cpo.yaml)\n\n${USAGE}`,
    );
  let grep: RegExp | undefined;
  try {
    grep = v.grep === undefined ? undefined : new RegExp(v.grep, 'i');
  } catch (e) {
    throw new UsageError(`--grep is not a regular expression: ${messageOf(e)}`);
  }
  const reporters = (v.reporter ?? REPORTER_NAMES.join(',')).split(',').map((r) => r.trim());
  const unknown = reporters.filter((r) => !(REPORTER_NAMES as readonly string[]).includes(r));
  if (unknown.length > 0)
    throw new UsageError(`--reporter ${unknown.join(',')} is unknown; choose from ${REPORTER_NAMES.join(', ')}`);
  const timeScale = v['time-scale'] === undefined ? 1 : Number(v['time-scale']);
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new UsageError(`--time-scale must be a positive number, got "${v['time-scale']}"`);
  const itemTimeout = v['item-timeout'] === undefined ? undefined : Number(v['item-timeout']);
  if (itemTimeout !== undefined && !(itemTimeout > 0 && Number.isFinite(itemTimeout)))
    throw new UsageError(`--item-timeout must be a positive number of seconds, got "${v['item-timeout']}"`);
  if (v.port !== undefined && !/^\d+$/.test(v.port))
    throw new UsageError(`--port must be a whole number, got "${v.port}"`);
  return {
    inputs: parsed.positionals,
    partner: v.partner,
    ...(v.out ? { out: v.out } : {}),
    ...(grep ? { grep } : {}),
    tags: v.tag ?? [],
    reporters: reporters as RunArgs['reporters'],
    timeScale,
    ...(itemTimeout === undefined ? {} : { itemTimeoutMs: itemTimeout * 1000 }),
    ...(v.port === undefined ? {} : { port: Number(v.port) }),
    ...(v.world ? { world: v.world } : {}),
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
    const base = await resolveWorld(ctx, args.world, args.port === undefined ? {} : { port: args.port });
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
    const result = await certify({
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
      ...(process.stdin.isTTY && !process.env.CI ? { prompt: ask } : {}),
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
  // A mandatory item the profile cannot feed is a configuration error, found before any traffic; optional ones are
  // skipped by the engine with the same message.
  // One problem per kind of test data (how many needed, how many given, by which items) rather than one per item.
  const fed = chosen.filter((s) => s.mandatory && missingServices(s, profile).length === 0);
  const perKind = testDataProblems(fed, profile);
  const unfed =
    perKind.length > 0
      ? perKind
      : fed.flatMap((s) =>
          missingTestData(s, profile).length > 0 ? [`${s.id}: ${missingTestDataMessage(s, profile)}`] : [],
        );
  if (unfed.length > 0) throw new ConfigError('CONFIG_INVALID', unfed.join('\n'));
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
