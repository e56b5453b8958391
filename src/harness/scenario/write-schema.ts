import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PROFILE_SCHEMA_PATH, profileSchemaText, SCENARIO_SCHEMA_PATH, scenarioSchemaText } from './schema-file.js';

// Script: regenerates scenarios/schema/*.schema.json after a change to src/harness/scenario/schema.ts or profile.ts.
// Run from the project root with `node bin/run-ts.js src/harness/scenario/write-schema.ts`.
await mkdir(dirname(SCENARIO_SCHEMA_PATH), { recursive: true });
for (const [path, text] of [
  [SCENARIO_SCHEMA_PATH, scenarioSchemaText()],
  [PROFILE_SCHEMA_PATH, profileSchemaText()],
] as const) {
  await writeFile(path, text);
  process.stdout.write(`wrote ${path}\n`);
}
