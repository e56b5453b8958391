#!/usr/bin/env node
// Runs the compiled CLI from dist/ (`npm run build`; `npm ci` and `npm pack` build through the `prepare` script).
// Without dist/ it stops with the fix rather than falling back to tsx: tsx is a development tool that an installed
// package does not have, and a silent fallback would hide a failed build behind a 2 s slower start.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('hbs-sim is not built: dist/cli/main.js is missing. Run `npm run build` in this checkout.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
