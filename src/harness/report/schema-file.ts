import { Report } from './model.js';

/**
 * report.schema.json, shipped beside this file for consumers of report.json (CI scripts, dashboards, editors).
 * Generated from the TypeBox model, so the file and the type cannot disagree; a unit test fails when the shipped
 * file is stale. Regenerate with `node bin/run-ts.js src/harness/report/write-schema.ts`.
 */
export const REPORT_SCHEMA_PATH = 'src/harness/report/report.schema.json';

const GENERATED_BY =
  'Generated from src/harness/report/model.ts by `node bin/run-ts.js src/harness/report/write-schema.ts`; do not edit.';

/** The exact text of the shipped schema file. */
export function reportSchemaText(): string {
  // JSON.stringify drops TypeBox's symbol-keyed metadata, leaving plain draft-07 JSON Schema.
  const document = { $schema: 'http://json-schema.org/draft-07/schema#', $comment: GENERATED_BY, ...Report };
  return `${JSON.stringify(document, null, 2)}\n`;
}
