import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's own folder (scenarios/, simulator/, package.json, the shipped schemas), found from this module so
 * any working directory works and an installed copy finds its own files. The one place that knows where src/ sits.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A file or folder of the package, by its path from the package root. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** scenarios/schema/scenario.schema.json, which every scenario names in its `# yaml-language-server: $schema=` line. */
export const SCENARIO_SCHEMA_PATH = 'scenarios/schema/scenario.schema.json';
/** The partner profile's schema, beside it (examples/partner-*.yaml and reference profiles name it). */
export const PROFILE_SCHEMA_PATH = 'scenarios/schema/partner-profile.schema.json';

let version: string | undefined;

/** The package's version, as package.json gives it (read once). */
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return version;
}
