import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SCENARIO_SCHEMA_PATH, scenarioSchemaText } from './schema-file.js';

// Script: regenerates scenarios/schema/scenario.schema.json after a change to src/scenario/schema.ts.
// Run from the project root with `node bin/run-ts.js src/scenario/write-schema.ts`.
await mkdir(dirname(SCENARIO_SCHEMA_PATH), { recursive: true });
await writeFile(SCENARIO_SCHEMA_PATH, scenarioSchemaText());
process.stdout.write(`wrote ${SCENARIO_SCHEMA_PATH}\n`);
