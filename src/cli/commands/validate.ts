import { resolve } from 'node:path';
import { loadWorld } from '../../config/world/load.js';
import { defaultScenariosDir, knownActors, loadScenarios } from '../../harness/scenario/load.js';
import { EXIT } from '../../shared/exit-codes.js';
import { type Command, parseFlags } from '../command.js';

const USAGE = `Usage: hbs-sim validate [files or folders ...] [--world <dir>]

Checks scenario files without sending anything: YAML syntax, format version, the scenario schema, step rules
(one kind per step, operations the role under test really sends or receives, actions the virtual actors have,
{{placeholders}} captured before use) and unique checklist IDs. Every problem is printed as file:line:col.
Exit code 0 when all are valid, 2 otherwise.

Arguments:
  files or folders       scenario files, or folders searched recursively for *.yaml (default: the embedded scenarios/)

Options:
  --world <dir>          simulator folder whose virtual actors the scenarios drive (default: the embedded simulator/)`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check scenario files (schema, step rules, IDs) without running them',
  usage: USAGE,
  async run(ctx) {
    const parsed = parseFlags(ctx.argv, { world: { type: 'string' } }, USAGE);
    const world = await loadWorld(parsed.values.world ? { dir: resolve(ctx.cwd, parsed.values.world) } : {});
    const inputs = parsed.positionals.length > 0 ? parsed.positionals : [defaultScenariosDir()];
    const scenarios = await loadScenarios(inputs, knownActors(world), ctx.cwd);
    const roles = ['CPO', 'EMP'].map((r) => `${scenarios.filter((s) => s.role === r).length} ${r}`).join(', ');
    ctx.out(
      `${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} valid (${roles}): ${scenarios.map((s) => s.id).join(', ')}`,
    );
    return EXIT.OK;
  },
};
