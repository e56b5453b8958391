import type { TSchema } from '@sinclair/typebox';
import { ProfileFileSchema } from './profile.js';
import { ScenarioFileSchema } from './schema.js';

/**
 * scenarios/schema/scenario.schema.json, which every scenario names in its `# yaml-language-server: $schema=` line so
 * editors complete and check it. Generated from the loader's TypeBox schema; a unit test fails when it is stale.
 * Regenerate with `node bin/run-ts.js src/harness/scenario/write-schema.ts`.
 */
export const SCENARIO_SCHEMA_PATH = 'scenarios/schema/scenario.schema.json';
/** The partner profile's schema, beside it (examples/partner-*.yaml name it). */
export const PROFILE_SCHEMA_PATH = 'scenarios/schema/partner-profile.schema.json';

function schemaText(schema: TSchema, from: string): string {
  const document = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: `Generated from ${from} by \`node bin/run-ts.js src/harness/scenario/write-schema.ts\`; do not edit.`,
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function scenarioSchemaText(): string {
  return schemaText(ScenarioFileSchema, 'src/harness/scenario/schema.ts');
}

export function profileSchemaText(): string {
  return schemaText(ProfileFileSchema, 'src/harness/scenario/profile.ts');
}
