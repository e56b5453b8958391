import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The layers of src/ (src/README.md draws them): a file may import its own folder and the layers below it, never a
 * layer above or a peer of its own rank. Each failure names the import to change.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Lowest first. Folders of one rank are peers: neither may import the other. */
const LAYERS: readonly (readonly string[])[] = [
  ['src/shared/'],
  ['src/oicp/', 'src/ocpp/'],
  ['src/tls/'],
  ['src/net/'],
  ['src/config/'],
  ['src/hub/'],
  ['src/monitor/'],
  ['src/partners/kit/'],
  ['src/partners/station/', 'src/partners/emp/'],
  ['src/partners/virtual/'],
  ['src/partners/reference/'],
  ['src/harness/report/'],
  ['src/harness/scenario/'],
  ['src/app/'],
  ['src/cli/'],
];

/**
 * Edges the layer order allows that still break a rule: partners talk to HBS over the network, never through its
 * code; the monitor and the harness use the hub through its port only; `except` names the one file allowed.
 */
const FORBIDDEN: readonly { from: string; to: string; except?: string; why: string }[] = [
  { from: 'src/partners/', to: 'src/hub/', why: 'a partner reaches HBS over OICP, not through its internals' },
  { from: 'src/partners/', to: 'src/monitor/', why: 'a partner reaches HBS over OICP, not through its internals' },
  { from: 'src/harness/report/', to: 'src/hub/', why: 'reports are a pure function of the report model' },
  { from: 'src/harness/', to: 'src/hub/', except: 'src/hub/port.ts', why: 'the harness uses the hub through its port' },
  { from: 'src/monitor/', to: 'src/hub/', except: 'src/hub/port.ts', why: 'the monitor uses the hub through its port' },
];

interface Edge {
  from: string;
  to: string;
  line: number;
}

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT_RE)].flatMap((m) => {
    const spec = m[2] ?? '';
    if (!spec.startsWith('.')) return [];
    const to = relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts');
    const line = text.slice(0, m.index).split('\n').length;
    return [{ from: file, to, line }];
  });
}

function rankOf(file: string): { rank: number; folder: string } | undefined {
  for (const [rank, folders] of LAYERS.entries()) {
    const folder = folders.find((f) => file.startsWith(f));
    if (folder) return { rank, folder };
  }
  return undefined;
}

/** Imports from a layer to one above it or to a peer of its rank, as messages naming the import. */
function againstTheLayers(edges: readonly Edge[]): string[] {
  return edges.flatMap((e) => {
    const from = rankOf(e.from);
    const to = rankOf(e.to);
    if (!from || !to || from.folder === to.folder || to.rank < from.rank) return [];
    return [`${show(e)}: ${from.folder} may not import ${to.folder}`];
  });
}

const FILES = sourceFiles('src');

/** Browser code (src/monitor/browser/, compiled by its own tsconfig against the DOM, not Node). */
const BROWSER = 'src/monitor/browser/';

/** Every import of a file, relative or not, as `file:line imports 'specifier'`. */
function anyImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT_RE)].map(
    (m) => `${file}:${text.slice(0, m.index).split('\n').length} imports '${m[2]}'`,
  );
}
const EDGES = FILES.flatMap(importsOf);
const show = (e: Edge): string => `${e.from}:${e.line} imports ${e.to}`;

/** Strongly connected components of more than one file (Tarjan), each as its files. */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const f of FILES) if (!index.has(f)) visit(f);
  return found;
}

describe('architecture: src/ imports run one way (src/README.md)', () => {
  it('reads the whole tree', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(EDGES.length).toBeGreaterThan(500);
  });

  it('puts every source file in a layer', () => {
    expect(
      FILES.filter((f) => !rankOf(f)),
      'files outside every layer: add their folder to LAYERS and src/README.md',
    ).toEqual([]);
  });

  it('imports only from the same folder or a lower layer', () => {
    expect(againstTheLayers(EDGES)).toEqual([]);
  });

  it('keeps partners and reports out of the hub, and the monitor and the harness at its port', () => {
    const broken = EDGES.flatMap((e) =>
      FORBIDDEN.filter((r) => e.from.startsWith(r.from) && e.to.startsWith(r.to) && e.to !== r.except).map(
        (r) => `${show(e)}: ${r.why}`,
      ),
    );
    expect(broken).toEqual([]);
  });

  it('has no cycle between files', () => {
    expect(cycles(EDGES).map((c) => c.join(' → '))).toEqual([]);
  });

  it('never imports test code from src', () => {
    expect(EDGES.filter((e) => !e.to.startsWith('src/')).map(show)).toEqual([]);
  });

  it('keeps the browser script free of imports: it is sent inline as one classic script, with no Node or npm code', () => {
    const browser = FILES.filter((f) => f.startsWith(BROWSER));
    expect(browser).toContain('src/monitor/browser/page.ts');
    expect(browser.flatMap(anyImports)).toEqual([]);
    // The rule sees every kind of import, not only relative ones.
    expect(anyImports('src/monitor/page-script.ts')).toContain("src/monitor/page-script.ts:1 imports 'node:fs'");
  });

  it('names an import against the direction, to a peer, and a cycle (the checks can fail)', () => {
    const up = { from: 'src/oicp/validate.ts', to: 'src/hub/server.ts', line: 3 };
    const peer = { from: 'src/partners/station/station.ts', to: 'src/partners/emp/emp.ts', line: 4 };
    expect(againstTheLayers([up, peer])).toEqual([
      'src/oicp/validate.ts:3 imports src/hub/server.ts: src/oicp/ may not import src/hub/',
      'src/partners/station/station.ts:4 imports src/partners/emp/emp.ts: src/partners/station/ may not import src/partners/emp/',
    ]);
    const loop = [
      { from: 'src/shared/clock.ts', to: 'src/shared/errors.ts', line: 1 },
      { from: 'src/shared/errors.ts', to: 'src/shared/clock.ts', line: 1 },
    ];
    expect(cycles([...EDGES, ...loop])).toContainEqual(['src/shared/clock.ts', 'src/shared/errors.ts']);
  });
});
