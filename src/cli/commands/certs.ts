import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadWorld } from '../../config/world/load.js';
import type { Partner, World } from '../../config/world/types.js';
import { messageOf, UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { type EnsureCertsResult, ensureCerts } from '../../tls/certs.js';
import { certPaths } from '../../tls/load.js';
import type { Command } from '../command.js';

const USAGE = `Usage: hbs-sim certs [--dir <path>] [--world <simulator dir>] [--force]

Creates the local CA standing in for Hubject's, the hub's server and client certificates, and a client and a server
certificate per partner of the world. Valid existing files are kept and only missing ones are created, so it is safe
to run again after adding a partner. Invalid, expired or stale files are refused with the fix to apply.

Options:
  --dir <path>           certificate folder (default: the world's hub.certsDir, normally certs/)
  --world <dir>          simulator folder to read the partners from (default: the embedded simulator/)
  --force                regenerate everything, the CA included; partners must then pick up the new files`;

interface CertsArgs {
  dir?: string;
  world?: string;
  force: boolean;
}

function parse(argv: string[]): CertsArgs {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { dir: { type: 'string' }, world: { type: 'string' }, force: { type: 'boolean', default: false } },
    });
    return { dir: values.dir, world: values.world, force: values.force === true };
  } catch (e) {
    // parseArgs throws a TypeError naming the offending flag; the usage tells what would have been right.
    throw new UsageError(`${messageOf(e)}\n\n${USAGE}`);
  }
}

/** `hbs-sim certs`: creates or checks the TLS material of the hub and every partner in the world. */
export const certsCommand: Command = {
  name: 'certs',
  summary: 'create the local CA, hub and partner certificates in certs/ (valid ones are kept)',
  usage: USAGE,
  async run(ctx) {
    const args = parse(ctx.argv);
    const world = await loadWorld(args.world === undefined ? {} : { dir: path.resolve(ctx.cwd, args.world) });
    const dir = path.resolve(ctx.cwd, args.dir ?? world.hub.certsDir);
    const result = await ensureCerts({
      dir,
      partners: world.partners.map(({ key, id, role, name }) => ({ key, id, role, name })),
      force: args.force,
      logger: ctx.logger,
    });
    for (const line of describeResult(result, world, displayDir(ctx.cwd, dir))) ctx.out(line);
    return EXIT.OK;
  },
};

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
