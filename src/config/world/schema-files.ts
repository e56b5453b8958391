import type { TSchema } from '@sinclair/typebox';
import { PartnerFileSchema, WorldFileSchema } from './schema.js';
import { VirtualFileSchema } from './virtual-schema.js';

/**
 * The JSON Schema files under simulator/schema/ that editors load through each YAML file's
 * `# yaml-language-server: $schema=…` modeline. Generated from the loader's own TypeBox schemas, so the editor and
 * the loader cannot disagree; a unit test fails when the committed files are stale.
 */

const GENERATED_BY =
  'Generated from src/config/world/schema.ts and virtual-schema.ts by `node bin/run-ts.js src/config/world/write-schemas.ts`; do not edit.';

const FILES: readonly { path: string; schema: TSchema }[] = [
  { path: 'schema/world.schema.json', schema: WorldFileSchema },
  { path: 'schema/partner.schema.json', schema: PartnerFileSchema },
  { path: 'schema/virtual.schema.json', schema: VirtualFileSchema },
];

/** Each schema file's path relative to the world folder and its exact text. */
export function schemaFiles(): { path: string; text: string }[] {
  return FILES.map(({ path, schema }) => {
    // JSON.stringify drops TypeBox's symbol-keyed metadata, leaving plain draft-07 JSON Schema.
    const document = { $schema: 'http://json-schema.org/draft-07/schema#', $comment: GENERATED_BY, ...schema };
    return { path, text: `${JSON.stringify(document, null, 2)}\n` };
  });
}
