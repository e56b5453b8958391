import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import type { EvseDataRecord } from '../../oicp/messages.js';
import { ConfigError } from '../../shared/errors.js';
import { packagePath } from '../../shared/paths.js';
import { fieldError, validateSource } from '../diagnostics.js';
import { deepFreeze } from '../freeze.js';
import { Problems } from '../problems.js';
import { displayPath, readSource, type SourceFile, unreadable } from '../source.js';
import { resolvePartner } from './partner.js';
import { checkUniqueIds, type LoadedPartner, resolveContracts, resolveEvse, resolveHub } from './resolve.js';
import { type EvseFile, EvseFileSchema, FORMAT_VERSION, PartnerFileSchema, WorldFileSchema } from './schema.js';
import type { World } from './types.js';
import { resolveVirtual } from './virtual.js';
import { type VirtualFile, VirtualFileSchema } from './virtual-schema.js';

/**
 * Reads a world folder (world.yaml, partners/*.yaml, evse/*.json, virtual/*.yaml) into the resolved, deep-frozen World.
 * Two stages, each reporting all of its problems at once: first every file on its own (syntax, version, schema,
 * per-file rules), then the references between files (contracts, EVSE owners, clashing IDs), which only make sense
 * once each file is readable.
 * @see simulator/README.md
 */

/** Partner keys name files and certificate folders, so they stay file-system safe on every OS. */
const KEY_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** The project's embedded simulator/ folder, found from this module's location so any working directory works. */
export function defaultWorldDir(): string {
  return packagePath('simulator');
}

/** Loads and checks a world folder (default: the embedded simulator/); throws ConfigError listing every problem. */
export async function loadWorld(options: { dir?: string } = {}): Promise<World> {
  const dir = resolve(options.dir ?? defaultWorldDir());
  if (!(await isKind(dir, 'dir'))) {
    throw new ConfigError('CONFIG_NOT_FOUND', `world folder not found: ${dir}`, { file: displayPath(dir) });
  }
  const worldPath = join(dir, 'world.yaml');
  if (!(await isKind(worldPath, 'file'))) {
    const message = `${displayPath(dir)} has no world.yaml; every world folder needs one (see simulator/README.md)`;
    throw new ConfigError('CONFIG_NOT_FOUND', message, { file: displayPath(worldPath) });
  }
  const problems = new Problems();
  const partnerPaths = await listDataFiles(dir, 'partners', '.yaml', problems);
  const evsePaths = await listDataFiles(dir, 'evse', '.json', problems);
  const virtualPaths = await listDataFiles(dir, 'virtual', '.yaml', problems);

  const worldFile = await readChecked(worldPath, 'yaml', WorldFileSchema, problems);
  const loaded: LoadedPartner[] = [];
  for (const path of partnerPaths) {
    const checked = await readChecked(path, 'yaml', PartnerFileSchema, problems);
    if (!checked) continue;
    const { partner, errors } = await resolvePartner(keyOf(path), checked.data, checked.source, dir);
    problems.add(checked.source.file, ...errors);
    loaded.push({ partner, source: checked.source });
  }
  const evseFiles: { key: string; data: EvseFile; source: SourceFile }[] = [];
  for (const path of evsePaths) {
    const checked = await readChecked(path, 'json', EvseFileSchema, problems);
    if (checked) evseFiles.push({ key: keyOf(path), ...checked });
  }
  const virtualFiles: { key: string; data: VirtualFile; source: SourceFile }[] = [];
  for (const path of virtualPaths) {
    const checked = await readChecked(path, 'yaml', VirtualFileSchema, problems);
    if (checked) virtualFiles.push({ key: keyOf(path), ...checked });
  }
  problems.throwIfAny();
  if (!worldFile) throw new Error('world.yaml passed the first stage without data');

  const partners = loaded.map((l) => l.partner);
  for (const { file, error } of checkUniqueIds(loaded)) problems.add(file, error);
  const { contracts, errors: contractErrors } = resolveContracts(worldFile.data, worldFile.source, partners);
  problems.add(worldFile.source.file, ...contractErrors);
  const evseData: Record<string, EvseDataRecord[]> = {};
  const evseByKey = new Map<string, EvseDataRecord[]>();
  for (const { key, data, source } of evseFiles) {
    const { operatorId, records, errors } = resolveEvse(key, data, source, partners);
    problems.add(source.file, ...errors);
    if (operatorId !== undefined) {
      evseData[operatorId] = records;
      evseByKey.set(key, records);
    }
  }
  const virtual: World['virtual'] = { stations: [], emps: [] };
  for (const { key, data, source } of virtualFiles) {
    const resolved = resolveVirtual(key, data, source, partners, evseByKey.get(key));
    if ('errors' in resolved) problems.add(source.file, ...resolved.errors);
    else if ('station' in resolved) {
      virtual.stations.push(resolved.station);
      // The station pushes these itself at start, as a real CPO would; the hub must not hold them beforehand.
      delete evseData[resolved.station.operatorId];
    } else virtual.emps.push(resolved.emp);
  }
  problems.throwIfAny();

  const hub = resolveHub(worldFile.data.hub);
  const world: World = { version: FORMAT_VERSION, source: dir, hub, partners, contracts, evseData, virtual };
  return deepFreeze(world);
}

function keyOf(path: string): string {
  return basename(path, extname(path));
}

async function isKind(path: string, kind: 'dir' | 'file'): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return kind === 'dir' ? info?.isDirectory() === true : info?.isFile() === true;
}

/** `<dir>/<folder>/<key><ext>` files, sorted; anything else in the folder is a problem rather than silently skipped. */
async function listDataFiles(dir: string, folder: string, ext: string, problems: Problems): Promise<string[]> {
  const folderPath = join(dir, folder);
  if (!(await isKind(folderPath, 'dir'))) return [];
  // Code-point order, not localeCompare: the partner order must not depend on the machine's locale.
  const entries = (
    await readdir(folderPath, { withFileTypes: true }).catch((e: unknown) => Promise.reject(unreadable(folderPath, e)))
  ).sort((a, b) => (a.name < b.name ? -1 : 1));
  const paths: string[] = [];
  for (const entry of entries) {
    // Hidden files are editor and OS litter (.DS_Store, .swp), never world data.
    if (entry.name.startsWith('.')) continue;
    const path = join(folderPath, entry.name);
    const key = basename(entry.name, ext);
    if (!entry.isFile() || !entry.name.endsWith(ext)) {
      const message = `only <key>${ext} files belong in ${folder}/`;
      problems.add(displayPath(path), { path: '', message, ...(entry.isFile() ? { line: 1, col: 1 } : {}) });
    } else if (!KEY_PATTERN.test(key)) {
      const message = `\`${key}\` is not a valid key: use lower-case letters, digits and dashes (it names certificate folders)`;
      problems.add(displayPath(path), { path: '', message, line: 1, col: 1 });
    } else {
      paths.push(path);
    }
  }
  return paths;
}

/** Parses one file, refuses an unknown format version outright, then schema-checks it; problems go to `problems`. */
async function readChecked<T extends TSchema>(
  path: string,
  format: 'yaml' | 'json',
  schema: T,
  problems: Problems,
): Promise<{ data: Static<T>; source: SourceFile } | undefined> {
  const parsed = await readSource(path, format);
  if (!parsed.ok) {
    problems.add(parsed.file, ...parsed.errors);
    return undefined;
  }
  const { source } = parsed;
  checkVersion(source);
  const result = validateSource(schema, source);
  if (!result.ok) {
    problems.add(source.file, ...result.errors);
    return undefined;
  }
  return { data: result.data, source };
}

/** A numeric version other than ours is a format this code cannot read: stop, rather than misread it. */
function checkVersion(source: SourceFile): void {
  const { data } = source;
  if (typeof data !== 'object' || data === null || !('version' in data)) return;
  const { version } = data;
  if (typeof version !== 'number' || version === FORMAT_VERSION) return;
  const message = `${source.file} is format version ${version}, but this hbs-sim reads version ${FORMAT_VERSION} only`;
  const fieldErrors = [fieldError(source, ['version'], `unknown version ${version}; expected ${FORMAT_VERSION}`)];
  throw new ConfigError('CONFIG_VERSION', message, { file: source.file, fieldErrors });
}
