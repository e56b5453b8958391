import { writeFile } from 'node:fs/promises';
import { REPORT_SCHEMA_PATH, reportSchemaText } from './schema-file.js';

// Script: regenerates src/harness/report/report.schema.json after a change to src/harness/report/model.ts.
// Run from the project root with `node bin/run-ts.js src/harness/report/write-schema.ts`.
await writeFile(REPORT_SCHEMA_PATH, reportSchemaText());
process.stdout.write(`wrote ${REPORT_SCHEMA_PATH}\n`);
