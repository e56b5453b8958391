import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as TypeScript from 'typescript';

/**
 * The monitor page's script (src/monitor/browser/: dom.ts, ocpp.ts, page.ts), as the text the page sends inline. Run
 * from dist/ (the built or installed tool), it is the files `npm run build` compiled beside this module. Run from src/
 * (vitest, tsx, Playwright), there are no compiled files beside this module, so the TypeScript sources are transpiled
 * on first use with the project's own compiler: `typescript` is already a development dependency (esbuild would be one
 * only through tsx and vite), it is the compiler the build uses, and a dev run can never serve a stale dist/ copy. The
 * installed package ships neither the sources nor typescript, and never needs them.
 */

/** The browser files in the order they run: the helpers first, then the views that use them. */
export const PAGE_SCRIPT_PARTS = ['dom', 'ocpp', 'page'] as const;

let script: string | undefined;

export function pageScript(): string {
  script ??= checked(bundle(PAGE_SCRIPT_PARTS.map(loadScript)));
  return script;
}

/**
 * The parts as one script inside one function: what one file declares at its top level (dom.ts's helpers) the others
 * see, as the browser tsconfig type-checks them, without any of it becoming a property of the window.
 */
export function bundle(parts: readonly string[]): string {
  return `(() => {\n${parts.join('\n')}\n})();\n`;
}

function loadScript(name: string): string {
  const compiled = new URL(`./browser/${name}.js`, import.meta.url);
  const source = new URL(`./browser/${name}.ts`, import.meta.url);
  if (existsSync(compiled)) return readFileSync(compiled, 'utf8');
  if (existsSync(source)) return transpile(readFileSync(source, 'utf8'), `${name}.ts`);
  throw new Error(
    `the monitor page script is missing: neither ${fileURLToPath(compiled)} nor its source exists; run \`npm run build\``,
  );
}

/** The same output as src/monitor/browser/tsconfig.json gives: one ES2022 classic script. */
export function transpile(source: string, fileName: string): string {
  const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript;
  return ts.transpileModule(source, {
    fileName,
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
