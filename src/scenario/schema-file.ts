import { ScenarioFileSchema } from './schema.js';

/**
 * scenarios/schema/scenario.schema.json, which every scenario names in its `# yaml-language-server: $schema=` line so
 * editors complete and check it. Generated from the loader's TypeBox schema; a unit test fails when it is stale.
 * Regenerate with `node bin/run-ts.js src/scenario/write-schema.ts`.
 */
export const SCENARIO_SCHEMA_PATH = 'scenarios/schema/scenario.schema.json';

export function scenarioSchemaText(): string {
  const document = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: 'Generated from src/scenario/schema.ts by `node bin/run-ts.js src/scenario/write-schema.ts`; do not edit.',
    ...ScenarioFileSchema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
