import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FieldError } from '../shared/errors.js';
import type { PathSegment, SourceFile } from './source.js';

/**
 * Schema validation with messages a person can act on: ajv's keyword errors become `unknown key `x`; allowed: …`,
 * `must be true or false, got …`, each with the line and column of the offending node.
 */

// verbose: keeps parentSchema and data on each error, which the messages below quote. Each schema validates a few
// files once per start, so compile time counts and ajv's code optimisation pass (about 40% of it) is left out.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, code: { optimize: false } });
const compiled = new WeakMap<TSchema, ValidateFunction>();

/** Validates `source.data` against a TypeBox schema; returns the data typed, or every problem with its position. */
export function validateSource<T extends TSchema>(
  schema: T,
  source: SourceFile,
): { ok: true; data: Static<T> } | { ok: false; errors: FieldError[] } {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(source.data)) return { ok: true, data: source.data as Static<T> };
  return { ok: false, errors: explain(validate.errors ?? [], source) };
}

/** A FieldError for `path` in `source`, positioned at the value (or its key). */
export function fieldError(source: SourceFile, path: readonly PathSegment[], message: string, at?: 'key'): FieldError {
  return { path: dotted(path), message, ...source.locate(path, at) };
}

/** `contracts[0].cpo` from `['contracts', 0, 'cpo']`: shorter to read than a JSON pointer. */
export function dotted(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function explain(errors: ErrorObject[], source: SourceFile): FieldError[] {
  const out = new Map<string, FieldError>();
  for (const e of collapseAnyOf(errors)) {
    const at = segments(e.instancePath);
    let error: FieldError;
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params.additionalProperty);
      error = fieldError(source, [...at, key], unknownKey(key, Object.keys(e.parentSchema?.properties ?? {})), 'key');
    } else if (e.keyword === 'required') {
      // The missing key has no node; point at the mapping that should hold it.
      const key = String(e.params.missingProperty);
      error = { path: dotted([...at, key]), message: `missing required key \`${key}\``, ...source.locate(at) };
    } else {
      error = fieldError(source, at, messageFor(e));
    }
    out.set(`${error.path}\u0000${error.message}`, error);
  }
  return [...out.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

/**
 * For `anyOf`, ajv reports every branch's failure. A branch whose type matched the value (no type/const/enum
 * mismatch at the anyOf's own path) is what the author meant, so only its errors are kept; when no branch matched,
 * one summary ("must be `all` or a list") replaces them all.
 */
function collapseAnyOf(errors: ErrorObject[]): ErrorObject[] {
  let result = errors;
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    const base = anyOf.schemaPath.replace(/\/anyOf$/, '/anyOf/');
    // Array items share a schemaPath, so the instancePath tells this item's branch errors from its siblings'.
    const within = (e: ErrorObject): boolean =>
      e.instancePath === anyOf.instancePath || e.instancePath.startsWith(`${anyOf.instancePath}/`);
    const branchErrors = result.filter((e) => e.schemaPath.startsWith(base) && within(e));
    const branchOf = (e: ErrorObject): string => e.schemaPath.slice(base.length).split('/')[0] ?? '';
    const wrongShape = branchErrors.filter(
      (e) => e.instancePath === anyOf.instancePath && ['type', 'const', 'enum'].includes(e.keyword),
    );
    const mismatched = new Set(wrongShape.map(branchOf));
    const meant = branchErrors.filter((e) => !mismatched.has(branchOf(e)));
    const drop = new Set(meant.length > 0 ? [anyOf, ...branchErrors.filter((e) => !meant.includes(e))] : branchErrors);
    result = result.filter((e) => !drop.has(e));
  }
  return result;
}

function segments(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function messageFor(e: ErrorObject): string {
  const got = gotText(e.data);
  switch (e.keyword) {
    case 'type':
      return `must be ${expectedType(String(e.params.type))}, got ${got}${yamlBooleanHint(e)}`;
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      return `must be one of ${listOf(allowed)}; got ${got}${guess ? ` (did you mean \`${guess}\`?)` : ''}`;
    }
    case 'const':
      return `must be ${JSON.stringify(e.params.allowedValue)}, got ${got}`;
    case 'anyOf':
      return `must be ${((e.schema as TSchema[]) ?? []).map(expectedSchema).join(' or ')}, got ${got}`;
    case 'minLength':
      return 'must not be empty';
    case 'minItems':
      return `must list at least ${String(e.params.limit)} item(s)`;
    case 'uniqueItems': {
      const list = Array.isArray(e.data) ? (e.data as unknown[]) : [];
      return `lists ${gotText(list[Number(e.params.j)])} twice`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(e.params.comparison)} ${String(e.params.limit)}, got ${got}`;
    case 'pattern': {
      const why = typeof e.parentSchema?.description === 'string' ? ` (${e.parentSchema.description})` : '';
      return `must match ${String(e.params.pattern)}${why}, got ${got}`;
    }
    default:
      return `${e.message ?? 'is invalid'} (${e.keyword})`;
  }
}

/** `unknown key `onlineRequst` (did you mean `onlineRequest`?); allowed: onlineRequest, broadcast, …` */
export function unknownKey(key: string, allowed: readonly string[]): string {
  const guess = closest(key, allowed);
  const hint = guess ? ` (did you mean \`${guess}\`?)` : '';
  return `unknown key \`${key}\`${hint}; allowed: ${allowed.join(', ')}`;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  // Beyond about a third of the word the "suggestion" is noise.
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function listOf(values: readonly string[]): string {
  return values.map((v) => `\`${v}\``).join(', ');
}

function expectedType(type: string): string {
  const names: Record<string, string> = {
    boolean: 'true or false',
    integer: 'a whole number',
    number: 'a number',
    string: 'a string',
    array: 'a list',
    object: 'a mapping (key: value)',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function expectedSchema(schema: TSchema): string {
  if ('const' in schema) return `\`${String(schema.const)}\``;
  return typeof schema.type === 'string' ? expectedType(schema.type) : 'a valid value';
}

function gotText(data: unknown): string {
  if (data === null || data === undefined) return 'nothing (empty value)';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a mapping';
  return typeof data === 'string' ? `\`${data}\`` : String(data);
}

/** YAML 1.2 reads `yes`/`no`/`on`/`off` as strings, a classic surprise for people used to YAML 1.1. */
function yamlBooleanHint(e: ErrorObject): string {
  const yaml11 = typeof e.data === 'string' && /^(yes|no|on|off|y|n)$/i.test(e.data);
  return e.params.type === 'boolean' && yaml11 ? ' (YAML 1.2 reads it as text; write true or false)' : '';
}
