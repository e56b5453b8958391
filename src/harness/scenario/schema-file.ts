import type { TSchema } from '@sinclair/typebox';
import { ProfileFileSchema } from './profile.js';
import { ScenarioFileSchema } from './schema.js';

/*
 * The scenario and profile schemas (paths in shared/paths.ts) let editors complete and check the YAML. Generated from
 * the loaders' TypeBox schemas; a unit test fails when they are stale.
 * Regenerate with `node bin/run-ts.js src/harness/scenario/write-schema.ts`.
 */
export { PROFILE_SCHEMA_PATH, SCENARIO_SCHEMA_PATH } from '../../shared/paths.js';

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
