import { resolve } from 'node:path';
import { worldWithPartner } from '../../app/certify.js';
import { PREFLIGHT_TIMEOUT_MS, type PreflightResult, preflight } from '../../app/preflight.js';
import { defaultScenariosDir, knownActors, loadScenarios } from '../../harness/scenario/load.js';
import { loadProfile } from '../../harness/scenario/profile.js';
import { ConfigError, UsageError } from '../../shared/errors.js';
import { type Command, parseFlags } from '../command.js';
import { resolveWorld } from './serve.js';

const USAGE = `Usage: hbs-sim check --partner <profile.yaml> [files or folders ...] [options]

Runs only the preflight of \`hbs-sim run\`, which sends no OICP operation and fires no trigger: makes the
certificates the run uses (like run does), then checks that every Service URL and per-operation URL of the profile
answers HBS with the run's TLS identity (HEAD; any HTTP answer counts), that each HTTP trigger's test API answers
(OPTIONS *), that no prompt trigger waits for a person in a non-interactive run, and that the test data covers the
mandatory items. Prints each check with ✓ or ✗ and, for each problem, what was seen and the fix.
Exit code: 0 all passed, 2 only problems of the profile (test data, prompt triggers), 3 a URL did not answer right.

Arguments:
  files or folders        scenarios whose test data is checked (default: the embedded catalogue, scenarios/)

Options:
  --partner <file>        partner profile of the system under test (see examples/partner-cpo.yaml)
  --world <dir>           simulator world (default: the embedded simulator/); its certsDir holds the certificates
  --timeout <s>           real seconds each probe may take (default ${PREFLIGHT_TIMEOUT_MS / 1000})`;

export const checkCommand: Command = {
  name: 'check',
  summary: 'check, before a run, that HBS can reach your system and that its profile is complete',
  usage: USAGE,
  defaultLogLevel: 'warn',
  async run(ctx) {
    const parsed = parseFlags(
      ctx.argv,
      { partner: { type: 'string' }, world: { type: 'string' }, timeout: { type: 'string' } },
      USAGE,
    );
    const v = parsed.values;
    if (!v.partner) throw new UsageError(`--partner <profile.yaml> is required: the system to check\n\n${USAGE}`);
    const timeout = v.timeout === undefined ? PREFLIGHT_TIMEOUT_MS / 1000 : Number(v.timeout);
    if (!(timeout > 0 && Number.isFinite(timeout)))
      throw new UsageError(`--timeout must be a positive number of seconds, got "${v.timeout}"`);
    const base = await resolveWorld(ctx, v.world, {});
    const profile = await loadProfile(resolve(ctx.cwd, v.partner));
    const inputs = parsed.positionals.length ? parsed.positionals : [defaultScenariosDir()];
    const scenarios = (await loadScenarios(inputs, knownActors(base), ctx.cwd)).filter(
      (s) => s.role === profile.partner.role,
    );
    if (scenarios.length === 0)
      throw new ConfigError('CONFIG_NOT_FOUND', `no ${profile.partner.role} scenario in ${inputs.join(', ')}`);
    const result = await preflight({
      world: worldWithPartner(base, profile),
      profile,
      scenarios,
      cwd: ctx.cwd,
      logger: ctx.logger,
      interactive: isInteractive(),
      timeoutMs: timeout * 1000,
    });
    ctx.out(`Preflight of ${profile.partner.id} (${profile.file}), ${scenarios.length} ${profile.partner.role} items`);
    for (const line of checkLines(result)) ctx.out(line);
    if (result.problems.length > 0) ctx.out(`\n${problemText(result)}`);
    else ctx.out('\nAll checks passed: `hbs-sim run` can start.');
    return result.exitCode;
  },
};

/** Whether a person can answer prompt triggers: a terminal, and not CI (the same rule as `run`). */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY) && !process.env.CI;
}

/** One line per check: ✓ or ✗, the kind, what was checked, how it went. */
export function checkLines(result: PreflightResult): string[] {
  return result.checks.map((c) => `  ${c.ok ? '✓' : '✗'} ${c.kind.padEnd(9)} ${c.subject} — ${c.note}`);
}

/** Each problem once: its code, what it concerns, what was seen, and the fix. */
export function problemText(result: PreflightResult): string {
  const n = result.problems.length;
  return [
    `${n} problem${n === 1 ? '' : 's'}:`,
    ...result.problems.map((p) => `${p.code} ${p.subject}: ${p.seen}\n  fix: ${p.fix}`),
  ].join('\n');
}
