import path from 'node:path';
import { worldWithPartner } from '../../app/certify.js';
import { ensureUnderTestCerts, runCertsDir } from '../../app/partner-certs.js';
import { ensureWorldCerts } from '../../config/world/certs.js';
import type { Partner, World } from '../../config/world/types.js';
import { loadProfile, type PartnerProfile } from '../../harness/scenario/profile.js';
import { messageOf, UsageError } from '../../shared/errors.js';
import { EXIT, type ExitCode } from '../../shared/exit-codes.js';
import type { EnsureCertsResult } from '../../tls/certs.js';
import { certPaths, type PartnerCertPaths } from '../../tls/load.js';
import { checkPassphrase, writePartnerPkcs12 } from '../../tls/pkcs12.js';
import { type Command, type CommandContext, parseFlags } from '../command.js';
import { resolveWorld } from './serve.js';

/** The variable a CI secret gives the PKCS#12 passphrase in, so it is not on the command line (and in `ps`). */
export const P12_PASSPHRASE_ENV = 'HBS_SIM_P12_PASSPHRASE';

const USAGE = `Usage: hbs-sim certs [--partner <profile.yaml> [--p12-passphrase <pass>]] [--dir <path>] [--world <dir>] [--force]

Creates the local CA standing in for Hubject's, the hub's server and client certificates, and a client and a server
certificate per partner of the world. Valid existing files are kept and only missing ones are created, so it is safe
to run again after adding a partner. Invalid, expired or stale files are refused with the fix to apply.

With --partner, also the certificates of your system under test, before any run and in exactly the files
\`hbs-sim run --partner\` uses for it (certs/partners/under-test-<your ID, lower case, without separators>/), so a
backend in CI can be configured and started first; the run then keeps them.

Options:
  --partner <file>         partner profile of your system under test (see \`hbs-sim init\`)
  --p12-passphrase <pass>  with --partner, also write client.p12 and server.p12 (key, certificate and CA) for Java
                           and .NET stacks; printable ASCII. Better from the environment: ${P12_PASSPHRASE_ENV}
  --dir <path>             certificate folder (default: the world's hub.certsDir, normally certs/; OICP_SIM_CERTS_DIR)
  --world <dir>            simulator folder to read the partners from (default: the embedded simulator/)
  --force                  regenerate everything, the CA included; partners must then pick up the new files`;

interface CertsArgs {
  dir?: string;
  world?: string;
  force: boolean;
  partner?: string;
  p12Passphrase?: string;
}

export function parseCertsArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CertsArgs {
  const { values } = parseFlags(
    argv,
    {
      dir: { type: 'string' },
      world: { type: 'string' },
      force: { type: 'boolean', default: false },
      partner: { type: 'string' },
      'p12-passphrase': { type: 'string' },
    },
    USAGE,
    false,
  );
  const fromFlag = values['p12-passphrase'];
  const fromEnv = env[P12_PASSPHRASE_ENV];
  const passphrase = fromFlag ?? fromEnv;
  if (passphrase !== undefined) {
    const where = fromFlag !== undefined ? '--p12-passphrase' : P12_PASSPHRASE_ENV;
    if (values.partner === undefined)
      throw new UsageError(`${where} needs --partner <profile.yaml>: the .p12 files are your system's certificates`);
    try {
      checkPassphrase(passphrase, where);
    } catch (e) {
      throw new UsageError(messageOf(e));
    }
  }
  return {
    ...(values.dir === undefined ? {} : { dir: values.dir }),
    ...(values.world === undefined ? {} : { world: values.world }),
    force: values.force === true,
    ...(values.partner === undefined ? {} : { partner: values.partner }),
    ...(passphrase === undefined ? {} : { p12Passphrase: passphrase }),
  };
}

/** `hbs-sim certs`: creates or checks the TLS material of the hub and every partner in the world. */
export const certsCommand: Command = {
  name: 'certs',
  summary: 'create the local CA, hub and partner certificates in certs/ (valid ones are kept)',
  usage: USAGE,
  async run(ctx) {
    const args = parseCertsArgs(ctx.argv);
    // The world as `run` resolves it (OICP_SIM_CERTS_DIR included), so both find the same folder.
    const world = await resolveWorld(ctx, args.world, {});
    if (args.partner !== undefined) return certsForPartner(ctx, world, args, args.partner);
    const dir = path.resolve(ctx.cwd, args.dir ?? world.hub.certsDir);
    const result = await ensureWorldCerts(world, dir, { force: args.force, logger: ctx.logger });
    for (const line of describeResult(result, world, displayDir(ctx.cwd, dir))) ctx.out(line);
    return EXIT.OK;
  },
};

/** `certs --partner`: the world of a run of this profile, its certificates ensured, and what each file is for. */
async function certsForPartner(ctx: CommandContext, base: World, args: CertsArgs, file: string): Promise<ExitCode> {
  const profile = await loadProfile(path.resolve(ctx.cwd, file));
  const world = worldWithPartner(base, profile);
  const runDir = runCertsDir(world, ctx.cwd);
  const dir = args.dir === undefined ? runDir : path.resolve(ctx.cwd, args.dir);
  const { result, paths } = await ensureUnderTestCerts({
    world,
    profile,
    cwd: ctx.cwd,
    dir,
    force: args.force,
    logger: ctx.logger,
  });
  const p12 =
    args.p12Passphrase === undefined ? undefined : await writePartnerPkcs12(dir, profile.partner, args.p12Passphrase);
  const shown = displayDir(ctx.cwd, dir);
  ctx.out(`Certificates in ${shown}: ${result.created.length} files created, ${result.kept.length} kept.`);
  ctx.out('');
  for (const line of describePartnerFiles(profile, paths, p12, ctx.cwd)) ctx.out(line);
  if (dir !== runDir)
    ctx.out(
      `\n\`hbs-sim run\` reads ${displayDir(ctx.cwd, runDir)}; give it OICP_SIM_CERTS_DIR=${shown} to use these files.`,
    );
  else ctx.out(`\n\`hbs-sim run --partner ${file}\` uses these files and keeps them while they are valid.`);
  return EXIT.OK;
}

/** Each file of the partner under test with what it is for, as a developer configures a backend from it. */
function describePartnerFiles(
  profile: PartnerProfile,
  paths: PartnerCertPaths,
  p12: { client: string; server: string } | undefined,
  cwd: string,
): string[] {
  const { id, role } = profile.partner;
  const shown = (f: string) => displayDir(cwd, f);
  return [
    `Your ${role} ${id} (partner key ${profile.partner.key}):`,
    `  client certificate  ${shown(paths.partnerClient.cert)}`,
    `  client key          ${shown(paths.partnerClient.key)}`,
    `      what your backend presents when it calls HBS (CN = ${id}: the hub identifies you by it)`,
    `  server certificate  ${shown(paths.partnerServer.cert)}`,
    `  server key          ${shown(paths.partnerServer.key)}`,
    '      what your OICP endpoint presents when HBS calls it (for localhost, 127.0.0.1 and ::1; or set serverCaFile',
    '      in the profile and use your own)',
    `  CA                  ${shown(paths.ca.cert)}`,
    "      what your backend trusts: it signed HBS's server certificate (when you call HBS) and HBS's client",
    '      certificate (when HBS calls you)',
    ...(p12
      ? [
          `  PKCS#12             ${shown(p12.client)}  (alias "client": client key, certificate and CA)`,
          `                      ${shown(p12.server)}  (alias "server": server key, certificate and CA)`,
          '      the same, for Java and .NET key stores, protected by your passphrase',
        ]
      : []),
  ];
}

/** What was created and kept, then the paths a developer pastes into curl or a partner backend's TLS settings. */
function describeResult(result: EnsureCertsResult, world: World, shownDir: string): string[] {
  const lines = [
    `Certificates in ${shownDir}: ${result.created.length} files created, ${result.kept.length} kept.`,
    ...result.created.map((file) => `  created  ${file}`),
    ...result.kept.map((file) => `  kept     ${file}`),
    '',
  ];
  const paths = certPaths(shownDir);
  const example: Partner | undefined = world.partners[0];
  if (!example) {
    return [...lines, `CA: ${paths.ca.cert}. The world has no partners, so no partner certificates were issued.`];
  }
  const partner = certPaths(shownDir, example.key);
  const port = world.hub.port === 0 ? '<port>' : String(world.hub.port);
  return [
    ...lines,
    `Call the hub as ${example.key} (${example.role} ${example.id}):`,
    `  curl --cacert ${paths.ca.cert} --cert ${partner.partnerClient.cert} --key ${partner.partnerClient.key} \\`,
    `    https://127.0.0.1:${port}${world.hub.basePath}/...`,
    `A partner backend trusts ${paths.ca.cert} for calls from the hub and presents its client certificate to the`,
    'hub; certs/README.md says what each file is for.',
  ];
}

/** The folder as the user would type it: relative to where they are when it is below, absolute otherwise. */
function displayDir(cwd: string, dir: string): string {
  const relative = path.relative(cwd, dir);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}
