import { resolve } from 'node:path';
import { startSimulation } from '../../app/simulation.js';
import { loadWorld } from '../../config/world/load.js';
import {
  applyHubOverrides,
  type HubSettingsOverrides,
  hubCertificateNames,
  hubSettingsFromEnv,
} from '../../config/world/settings.js';
import type { World } from '../../config/world/types.js';
import { isLoopbackHost, isWildcardHost, localUrl } from '../../net/local-guards.js';
import { controlTokenProblem, MIN_CONTROL_TOKEN_LENGTH } from '../../net/local-only.js';
import type { VirtualActors } from '../../partners/virtual/actors.js';
import { CONTROL_PREFIX } from '../../partners/virtual/control.js';
import { UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { certPaths } from '../../tls/load.js';
import { type Command, type CommandContext, parseFlags } from '../command.js';
import { HUB_FLAG_OPTIONS, HUB_FLAGS_USAGE, hubEnvUsage, parseHubFlags } from '../hub-flags.js';
import { parseTimeScale, TIME_SCALE_PRESETS, TIME_SCALE_RANGE } from '../time-scale.js';

const USAGE = `Usage: hbs-sim serve [options]

Starts the mock HBS from the simulator world and keeps it running until Ctrl-C.

Options:
  --world <dir>                 simulator world folder (default: the embedded simulator/)
  --authorize-timeout-ms <n>    EMP deadline for forwarded AuthorizeStart/Stop (default 10000)
  --remote-start-timeout-ms <n> CPO deadline for forwarded remote start/stop (default 60000; Hubject also says 40000)
  --forward-timeout-ms <n>      deadline for forwarded CDRs and notifications (default 30000)
  --no-aup                      do not enforce the Acceptable Use Policy rate limits
  --certs <dir>                 certificate folder (default certs/); created when missing
  --transcript <file>           append every exchange as JSON lines to this file
  --time-scale <x>              multiply protocol timeouts and session durations: real (default: 1), fast (${TIME_SCALE_PRESETS.fast})
                                or a number from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max}
  --no-virtual                  do not start the virtual station and EMP (simulator/virtual/*.yaml)
  --control-token <token>       let callers on other machines use /_sim and /monitor with this token
                                (Authorization: Bearer <token>; in a browser open /monitor?token=<token>);
                                at least ${MIN_CONTROL_TOKEN_LENGTH} characters, e.g. from \`openssl rand -hex 24\`; also
                                OICP_SIM_CONTROL_TOKEN. Without it they answer this machine only

${HUB_FLAGS_USAGE}

${hubEnvUsage()}
  OICP_SIM_CONTROL_TOKEN       --control-token (serve only)`;

/** Parses serve's flags into hub overrides; a malformed value is a usage error naming the flag. */
export function parseServeArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): {
  worldDir?: string;
  overrides: HubSettingsOverrides;
  timeScale: number;
  virtual: boolean;
  controlToken?: string;
} {
  const { values } = parseFlags(
    argv,
    {
      world: { type: 'string' },
      ...HUB_FLAG_OPTIONS,
      'control-token': { type: 'string' },
      'authorize-timeout-ms': { type: 'string' },
      'remote-start-timeout-ms': { type: 'string' },
      'forward-timeout-ms': { type: 'string' },
      'no-aup': { type: 'boolean' },
      certs: { type: 'string' },
      transcript: { type: 'string' },
      'time-scale': { type: 'string' },
      'no-virtual': { type: 'boolean' },
    },
    USAGE,
    false,
  );
  const int = (name: string, v: string | undefined, min: number): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min)
      throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${v}"`);
    return Number(v);
  };
  const timeScale = parseTimeScale(values['time-scale'], TIME_SCALE_PRESETS.real);
  const overrides: HubSettingsOverrides = {
    ...parseHubFlags(values),
    authorizeTimeoutMs: int('authorize-timeout-ms', values['authorize-timeout-ms'], 1),
    remoteStartTimeoutMs: int('remote-start-timeout-ms', values['remote-start-timeout-ms'], 1),
    forwardTimeoutMs: int('forward-timeout-ms', values['forward-timeout-ms'], 1),
    aup: values['no-aup'] ? false : undefined,
    certsDir: values.certs,
    transcriptPath: values.transcript,
  };
  const controlToken = controlTokenOf(values['control-token'], env.OICP_SIM_CONTROL_TOKEN);
  return {
    worldDir: values.world,
    overrides,
    timeScale,
    virtual: !values['no-virtual'],
    ...(controlToken === undefined ? {} : { controlToken }),
  };
}

/** The flag's token, else the environment's (an empty variable counts as unset); a weak token is refused. */
function controlTokenOf(flag: string | undefined, env: string | undefined): string | undefined {
  const [token, source] =
    flag !== undefined ? [flag, '--control-token'] : [env?.trim() || undefined, 'OICP_SIM_CONTROL_TOKEN'];
  if (token === undefined) return undefined;
  const problem = controlTokenProblem(token);
  if (problem !== undefined) throw new UsageError(`${source} ${problem}`);
  return token;
}

/** World + env + flags, resolved once. */
export async function resolveWorld(
  ctx: CommandContext,
  worldDir: string | undefined,
  flags: HubSettingsOverrides,
): Promise<World> {
  const world = await loadWorld(worldDir ? { dir: resolve(ctx.cwd, worldDir) } : {});
  return applyHubOverrides(world, hubSettingsFromEnv(process.env), flags);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the mock HBS (OICP 2.3 over mutual TLS) from the simulator world',
  usage: USAGE,
  async run(ctx) {
    const { worldDir, overrides, timeScale, virtual, controlToken } = parseServeArgs(ctx.argv, process.env);
    const world = await resolveWorld(ctx, worldDir, overrides);
    const sim = await startSimulation({
      world,
      cwd: ctx.cwd,
      timeScale,
      logger: ctx.logger,
      virtual,
      ...(controlToken === undefined ? {} : { controlToken }),
    });
    const { hub, actors, certsDir } = sim;
    printBanner(ctx, world, hub.url, certsDir, actors, controlToken !== undefined);
    await new Promise<void>((done) => {
      if (ctx.shutdownSignal.aborted) done();
      ctx.shutdownSignal.addEventListener('abort', () => done(), { once: true });
    });
    ctx.logger.info('shutting down');
    await sim.close();
    return EXIT.OK;
  },
};

function printBanner(
  ctx: CommandContext,
  world: World,
  url: string,
  certsDir: string,
  actors: VirtualActors | undefined,
  remoteControl: boolean,
): void {
  const mtls = world.hub.transport === 'mtls';
  // On a wildcard address the URL to call from this machine is loopback's; the monitor and /_sim answer only there.
  const local = localUrl(url);
  ctx.out(
    `HBS simulator listening: ${url}${mtls ? '  (mutual TLS)' : '  (PLAIN HTTP — no client certificates; Hubject itself always uses mutual TLS)'}`,
  );
  if (local !== url) ctx.out(`  from this machine: ${local}`);
  for (const line of otherHostUrls(world, url)) ctx.out(line);
  const exposure = networkExposure(world.hub.host, mtls, remoteControl);
  if (exposure) {
    ctx.out(`WARNING: ${exposure}`);
    ctx.logger.warn({ host: world.hub.host }, exposure);
  }
  ctx.out(`World: ${world.source} — ${world.partners.length} partners, ${world.contracts.length} contracts`);
  for (const p of world.partners) ctx.out(`  ${p.role} ${p.id.padEnd(8)} ${p.key}${p.locked ? ' (locked)' : ''}`);
  const example = world.partners.find((p) => p.role === 'CPO');
  if (mtls && example) {
    const paths = certPaths(certsDir, example.key);
    ctx.out('');
    ctx.out(`Try it as ${example.key} (${example.id}):`);
    ctx.out(`  curl --cacert ${paths.ca.cert} --cert ${paths.partnerClient.cert} --key ${paths.partnerClient.key} \\`);
    ctx.out(
      `    -H 'content-type: application/json' -d @push.json ${local}/evsepush/v23/operators/${encodeURIComponent(example.id)}/data-records`,
    );
  }
  if (actors) printActors(ctx, local, certsDir, mtls, actors, remoteControl);
  ctx.out('');
  ctx.out(
    `Process monitor: ${new URL(local).origin}/monitor  (every exchange, live; ${remoteControl ? 'from another machine open /monitor?token=<the control token>' : 'loopback only'})`,
  );
  ctx.out('Press Ctrl-C to stop.');
}

/**
 * The hub's URL under each extra name its certificate carries (--hub-name, hub.serverNames), as other hosts call it;
 * on a wildcard address without one, how to get one.
 */
function otherHostUrls(world: World, url: string): string[] {
  const parsed = new URL(url);
  const names = hubCertificateNames(world.hub).filter((n) => n !== world.hub.host.toLowerCase());
  if (names.length === 0) {
    if (!isWildcardHost(world.hub.host) || world.hub.transport !== 'mtls') return [];
    return ["  from other hosts: by a name or address the hub's certificate carries; add yours with --hub-name <name>"];
  }
  return names.map((name) => {
    const at = new URL(url);
    at.hostname = name.includes(':') ? `[${name}]` : name;
    return `  as ${name}: ${at.origin}${parsed.pathname}`;
  });
}

/** What binding a non-loopback address exposes, or undefined on loopback. */
export function networkExposure(host: string, mtls: boolean, remoteControl = false): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const where = isWildcardHost(host) ? `every network interface (${host})` : host;
  const who = mtls
    ? 'anyone on the network can connect to the hub (calls need a client certificate from its local CA)'
    : 'anyone on the network can call the hub as any partner (plain HTTP, no client certificates)';
  const control = remoteControl
    ? '/_sim and /monitor answer other machines that present the control token'
    : '/_sim and /monitor still answer this machine only';
  return `listening on ${where}: ${who}. ${control}. Use --host 127.0.0.1 to keep the hub local.`;
}

function printActors(
  ctx: CommandContext,
  url: string,
  certsDir: string,
  mtls: boolean,
  actors: VirtualActors,
  remoteControl: boolean,
): void {
  const control = `${new URL(url).origin}${CONTROL_PREFIX}`;
  const curl = `${mtls ? `curl --cacert ${certPaths(certsDir).ca.cert}` : 'curl'} -H 'content-type: application/json'`;
  ctx.out('');
  for (const s of actors.stations)
    ctx.out(
      `Virtual CPO ${s.operatorId} (${s.key}): ${s
        .view()
        .map((e) => `${e.EvseID} ${e.status}`)
        .join(', ')}`,
    );
  for (const e of actors.emps) {
    ctx.out(
      `Virtual EMP ${e.providerId} (${e.key}, ${e.mode}): ${e
        .customers()
        .map((c) => [c.name, c.evcoId, c.uid].filter(Boolean).join(' '))
        .join('; ')}`,
    );
  }
  const evse = actors.stations[0]?.view()[0]?.EvseID;
  const emp = actors.emps[0];
  ctx.out(
    `Control them at ${control} (${remoteControl ? 'from another machine with -H "Authorization: Bearer <the control token>"' : 'loopback only'}), e.g.:`,
  );
  if (emp && evse) ctx.out(`  ${curl} -d '{"evseId":"${evse}"}' ${control}/emps/${emp.key}/remote-start`);
  if (evse) ctx.out(`  ${curl} -X POST ${control}/evses/${encodeURIComponent(evse)}/plug`);
}
