import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as TypeScript from 'typescript';

/**
 * The monitor page's script (src/monitor/browser/page.ts), as the text the page sends inline. Run from dist/ (the
 * built or installed tool), it is the file `npm run build` compiled beside this module. Run from src/ (vitest, tsx,
 * Playwright), there is no compiled file beside this module, so the TypeScript source is transpiled on first use with
 * the project's own compiler: `typescript` is already a development dependency (esbuild would be one only through
 * tsx and vite), it is the compiler the build uses, and a dev run can never serve a stale dist/ copy. The installed
 * package ships neither the source nor typescript, and never needs them.
 */
const COMPILED = new URL('./browser/page.js', import.meta.url);
const SOURCE = new URL('./browser/page.ts', import.meta.url);

let script: string | undefined;

export function pageScript(): string {
  script ??= checked(loadScript());
  return script;
}

function loadScript(): string {
  if (existsSync(COMPILED)) return readFileSync(COMPILED, 'utf8');
  if (existsSync(SOURCE)) return transpile(readFileSync(SOURCE, 'utf8'));
  throw new Error(
    `the monitor page script is missing: neither ${fileURLToPath(COMPILED)} nor its source exists; run \`npm run build\``,
  );
}

/** The same output as src/monitor/browser/tsconfig.json gives: one ES2022 classic script. */
export function transpile(source: string): string {
  const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript;
  return ts.transpileModule(source, {
    fileName: 'page.ts',
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleDetection: ts.ModuleDetectionKind.Legacy,
      alwaysStrict: true,
      sourceMap: false,
      removeComments: false,
    },
  }).outputText;
}

/** The script goes inside a <script> element: a `</script` in it would end the element early. */
function checked(text: string): string {
  if (/<\/script/i.test(text)) throw new Error('the monitor page script contains "</script", which would end it early');
  return text;
}
