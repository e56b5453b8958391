import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { defaultWorldDir } from './load.js';
import { schemaFiles } from './schema-files.js';

// Script: regenerates simulator/schema/*.schema.json after a change to src/config/world/schema.ts.
// Run with `node bin/run-ts.js src/config/world/write-schemas.ts`.
const dir = defaultWorldDir();
for (const { path, text } of schemaFiles()) {
  const target = join(dir, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, text);
  process.stdout.write(`wrote ${relative(process.cwd(), target)}\n`);
}
