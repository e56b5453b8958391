import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fieldError, validateSource } from '../../config/diagnostics.js';
import { Problems } from '../../config/problems.js';
import { displayPath, readSource } from '../../config/source.js';
import type { World } from '../../config/world/types.js';
import { ConfigError } from '../../shared/errors.js';
import { packagePath } from '../../shared/paths.js';
import { checkScenario, type KnownActors } from './rules.js';
import { SCENARIO_VERSION, type ScenarioFile, ScenarioFileSchema } from './schema.js';

/**
 * Reads scenario files (or folders of them, recursively) and checks every one before any traffic: syntax, format
 * version, schema, the rules in rules.ts, and checklist IDs unique across files. All problems of all files are
 * reported at once, each as `file:line:col`.
 */

export interface Scenario extends ScenarioFile {
  /** The file it came from, as messages print it. */
  file: string;
}

const EXTENSIONS = new Set(['.yaml', '.yml']);

/** The virtual actors of a world, for checking actor steps. */
export function knownActors(world: Pick<World, 'virtual'>): KnownActors {
  return new Map([
    ...world.virtual.stations.map((s) => [s.partnerKey, 'station'] as const),
    ...world.virtual.emps.map((e) => [e.partnerKey, 'emp'] as const),
  ]);
}

/** The certification catalogue the package ships (scenarios/), whatever the working directory. */
export function defaultScenariosDir(): string {
  return packagePath('scenarios');
}

export async function loadScenarios(
  inputs: readonly string[],
  actors: KnownActors,
  cwd = process.cwd(),
): Promise<Scenario[]> {
  const files = (await Promise.all(inputs.map((i) => expand(resolve(cwd, i))))).flat();
  if (files.length === 0)
    throw new ConfigError('CONFIG_NOT_FOUND', `no scenario files (*.yaml) in ${inputs.join(', ')}`);
  const problems = new Problems();
  const scenarios: Scenario[] = [];
  const ids = new Map<string, string>();
  for (const path of [...new Set(files)]) {
    const parsed = await readSource(path, 'yaml');
    if (!parsed.ok) {
      problems.add(parsed.file, ...parsed.errors);
      continue;
    }
    const { source } = parsed;
    const version = (source.data as { version?: unknown } | null)?.version;
    if (typeof version === 'number' && version !== SCENARIO_VERSION) {
      problems.add(
        source.file,
        fieldError(
          source,
          ['version'],
          `scenario format version ${version} is unknown to this hbs-sim, which reads ${SCENARIO_VERSION}`,
        ),
      );
      continue;
    }
    const checked = validateSource(ScenarioFileSchema, source);
    if (!checked.ok) {
      problems.add(source.file, ...checked.errors);
      continue;
    }
    const errors = checkScenario(checked.data, source, actors);
    const first = ids.get(checked.data.id);
    if (first)
      errors.push(
        fieldError(source, ['id'], `${checked.data.id} is already the ID of ${first}; checklist IDs are unique`),
      );
    else ids.set(checked.data.id, source.file);
    problems.add(source.file, ...errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0)));
    if (errors.length === 0) scenarios.push({ ...checked.data, file: source.file });
  }
  problems.throwIfAny();
  return scenarios;
}

/** A file as given, or every *.yaml below a folder (sorted, hidden entries and schema/ skipped). */
async function expand(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new ConfigError('CONFIG_NOT_FOUND', `${displayPath(path)} does not exist`, { file: displayPath(path) });
  if (info.isFile()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || (e.isDirectory() && e.name === 'schema')) continue;
    const child = join(path, e.name);
    if (e.isDirectory()) out.push(...(await expand(child)));
    else if (EXTENSIONS.has(extname(e.name))) out.push(child);
  }
  return out;
}
