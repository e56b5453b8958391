import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { ConfigError, type FieldError, messageOf } from '../shared/errors.js';

/**
 * A parsed data file that still knows where each value came from, so every problem can be reported as
 * `file:line:col`. JSON files go through the YAML parser too (YAML 1.2 is a JSON superset), after a strict
 * JSON.parse has confirmed they really are JSON.
 */

export type PathSegment = string | number;

export interface Position {
  line: number;
  col: number;
}

/** A parsed file: its data and a way back from a path inside it to a source position. */
export interface SourceFile {
  /** The path as messages show it: relative to the working directory when inside it, else absolute. */
  file: string;
  data: unknown;
  /** Where the value at `path` starts (its key when `at` is `key`), or the nearest ancestor that exists. */
  locate(path: readonly PathSegment[], at?: 'key' | 'value'): Position;
}

export type ParseResult = { ok: true; source: SourceFile } | { ok: false; file: string; errors: FieldError[] };

/** The path as error messages print it; editors and terminals link `relative/path:line:col`. */
export function displayPath(absPath: string): string {
  const rel = relative(process.cwd(), absPath);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absPath;
}

/** Reads and parses a YAML or JSON file; syntax errors come back with their positions, all of them. */
export async function readSource(absPath: string, format: 'yaml' | 'json'): Promise<ParseResult> {
  const file = displayPath(absPath);
  // A UTF-8 BOM is legal in both formats but JSON.parse rejects it.
  const text = (await readText(absPath)).replace(/^\uFEFF/, '');
  if (format === 'json') {
    const jsonError = strictJsonError(text);
    if (jsonError) return { ok: false, file, errors: [jsonError] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      // prettyErrors appends "at line L, column C:" and a code frame; the position is reported separately.
      const message = `YAML syntax error: ${e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')}`;
      return { path: '', message, line: pos?.line, col: pos?.col };
    });
    return { ok: false, file, errors };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Unresolvable aliases surface only here, without a position.
    const message = `YAML error: ${messageOf(e)}`;
    return { ok: false, file, errors: [{ path: '', message, line: 1, col: 1 }] };
  }
  const locate = (path: readonly PathSegment[], at: 'key' | 'value' = 'value'): Position =>
    locateIn(doc, lineCounter, path, at);
  return { ok: true, source: { file, data, locate } };
}

/** The file's text; a file that cannot be read is a ConfigError naming it and the errno, never an internal error. */
async function readText(absPath: string): Promise<string> {
  try {
    return await readFile(absPath, 'utf8');
  } catch (e) {
    throw unreadable(absPath, e);
  }
}

/** CONFIG_NOT_FOUND for a path that is gone, CONFIG_UNREADABLE (with the errno and what to do) for anything else. */
export function unreadable(absPath: string, e: unknown): ConfigError {
  const file = displayPath(absPath);
  const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new ConfigError('CONFIG_NOT_FOUND', `${file} does not exist (${code})`, { file, cause: e });
  const fix: Record<string, string> = {
    EACCES: 'permission denied; make it readable for this user (chmod u+r, or a+r)',
    EPERM: 'operation not permitted; check its permissions and owner',
    EISDIR: 'it is a folder; a file belongs here',
    EMFILE: 'too many open files; close other programs or raise the limit (ulimit -n)',
  };
  return new ConfigError('CONFIG_UNREADABLE', `cannot read ${file}: ${code}, ${fix[code] ?? messageOf(e)}`, {
    file,
    cause: e,
  });
}

function strictJsonError(text: string): FieldError | undefined {
  const error = jsonParseError(text);
  if (error === undefined) return undefined;
  // V8's wording varies by Node version and may carry a multi-line excerpt; keep the gist.
  const gist = error.replace(/, (\.\.\.)?".*$/s, '').replace(/ (in JSON )?at position \d+.*$/s, '');
  return { path: '', message: `JSON syntax error: ${gist}`, ...offsetToPosition(text, jsonErrorOffset(text, error)) };
}

function jsonParseError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return messageOf(e);
  }
}

function positionIn(error: string): number | undefined {
  const at = /at position (\d+)/.exec(error)?.[1];
  return at === undefined ? undefined : Number(at);
}

/**
 * Where JSON.parse gave up. V8 names the position for most errors but not for "Unexpected token" (a trailing comma,
 * say); then bisect: a prefix that fails only at its own end is merely incomplete, so the first character after
 * the longest such prefix is the culprit.
 */
function jsonErrorOffset(text: string, error: string): number {
  const stated = positionIn(error);
  if (stated !== undefined) return stated;
  const incomplete = (n: number): boolean => {
    const e = jsonParseError(text.slice(0, n));
    return e === undefined || /Unexpected end of JSON input/.test(e) || (positionIn(e) ?? -1) >= n;
  };
  if (incomplete(text.length)) return text.length;
  let lo = 0;
  let hi = text.length;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (incomplete(mid)) lo = mid;
    else hi = mid;
  }
  return hi - 1;
}

function offsetToPosition(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

function locateIn(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  at: 'key' | 'value',
): Position {
  let node: unknown = doc.contents;
  let keyNode: unknown;
  let start = rangeStart(node) ?? 0;
  let resolved = true;
  for (const segment of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) {
        resolved = false;
        break;
      }
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined) {
        resolved = false;
        break;
      }
      node = item;
    } else {
      resolved = false;
      break;
    }
    // An empty value (`key:`) has no node of its own; its key is the closest position.
    start = rangeStart(node) ?? rangeStart(keyNode) ?? start;
  }
  if (resolved && at === 'key') start = rangeStart(keyNode) ?? start;
  return lineCounter.linePos(start);
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}
