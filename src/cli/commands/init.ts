import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { STARTER_PORTS, starterProfile } from '../../app/starter-profile.js';
import { defaultScenariosDir, knownActors, loadScenarios } from '../../harness/scenario/load.js';
import type { Role } from '../../oicp/operations.js';
import { UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { makeDirs } from '../../shared/fs.js';
import { PROFILE_SCHEMA_PATH, packagePath } from '../../shared/paths.js';
import { type Command, parseFlags } from '../command.js';
import { resolveWorld } from './serve.js';

const USAGE = `Usage: hbs-sim init <cpo|emp> [--out <file>] [--force] [--world <dir>]

Writes a commented starter partner profile for your CPO or EMP backend: every trigger the certification catalogue
calls for the role and as many test-data entries (EvseIDs, cards, contracts) as it needs, computed from the
catalogue. As written it describes the reference partner, so it runs at once against \`hbs-sim reference <role>\`;
replace the values marked REPLACE with your own.

Options:
  --out <file>    where to write it (default partner-<role>.yaml)
  --force         overwrite the file if it exists
  --world <dir>   simulator world the reference partner plays in (default: the embedded simulator/)`;

interface InitArgs {
  role: Role;
  out?: string;
  force: boolean;
  world?: string;
}

export function parseInitArgs(argv: string[]): InitArgs {
  const parsed = parseFlags(
    argv,
    { out: { type: 'string' }, force: { type: 'boolean', default: false }, world: { type: 'string' } },
    USAGE,
  );
  const [role, ...rest] = parsed.positionals;
  if (rest.length > 0 || (role !== 'cpo' && role !== 'emp'))
    throw new UsageError(`say which role: \`hbs-sim init cpo\` or \`hbs-sim init emp\`\n\n${USAGE}`);
  const v = parsed.values;
  return {
    role: role === 'cpo' ? 'CPO' : 'EMP',
    ...(v.out === undefined ? {} : { out: v.out }),
    force: v.force === true,
    ...(v.world === undefined ? {} : { world: v.world }),
  };
}

export const initCommand: Command = {
  name: 'init',
  summary: 'write a commented starter partner profile for your CPO or EMP, with what the catalogue needs',
  usage: USAGE,
  async run(ctx) {
    const args = parseInitArgs(ctx.argv);
    const lower = args.role.toLowerCase();
    const shown = args.out ?? `partner-${lower}.yaml`;
    const file = path.resolve(ctx.cwd, shown);
    if (existsSync(file) && !args.force)
      throw new UsageError(`${shown} exists; give --force to overwrite it, or --out <file> to write another`);
    const world = await resolveWorld(ctx, args.world, {});
    const scenarios = await loadScenarios([defaultScenariosDir()], knownActors(world));
    const text = await starterProfile({
      role: args.role,
      world,
      scenarios,
      schemaPath: path.relative(path.dirname(file), packagePath(PROFILE_SCHEMA_PATH)).split(path.sep).join('/'),
    });
    makeDirs(path.dirname(file));
    await writeFile(file, text);
    const ports = STARTER_PORTS[args.role];
    ctx.out(`Wrote ${shown}: a starter profile for your ${args.role}, describing the reference ${args.role} for now.`);
    ctx.out('Try it as it is:');
    ctx.out(`  npx hbs-sim reference ${lower} --port ${ports.oicp} --test-port ${ports.test}    # one terminal`);
    ctx.out(`  npx hbs-sim run --partner ${shown}                   # another`);
    ctx.out(`Then replace every value marked REPLACE with your own, and make your backend's certificates with`);
    ctx.out(`  npx hbs-sim certs --partner ${shown}`);
    return EXIT.OK;
  },
};
