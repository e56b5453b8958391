#!/usr/bin/env node
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// Runs one TypeScript entry point (benchmarks, scripts) through tsx: `node bin/run-ts.js file.ts [args]`.
import { register } from 'tsx/esm/api';

const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node bin/run-ts.js <file.ts> [args]\n');
  process.exit(2);
}
process.argv.splice(1, 1);
register();
await import(pathToFileURL(resolve(entry)).href);
