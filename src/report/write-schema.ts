import { writeFile } from 'node:fs/promises';
import { REPORT_SCHEMA_PATH, reportSchemaText } from './schema-file.js';

// Script: regenerates src/report/report.schema.json after a change to src/report/model.ts.
// Run from the project root with `node bin/run-ts.js src/report/write-schema.ts`.
await writeFile(REPORT_SCHEMA_PATH, reportSchemaText());
process.stdout.write(`wrote ${REPORT_SCHEMA_PATH}\n`);
