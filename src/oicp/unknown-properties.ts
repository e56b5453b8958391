/**
 * Finds properties a message does not declare. No OICP schema forbids extra properties, so a misspelt optional
 * field (`EvseStatus` for `EVSEStatus`, `OperatorId` for `OperatorID`) is silently ignored by HBS; the mock warns.
 * @see OICP 2.3 CPO and EMP OpenAPI (no schema sets additionalProperties: false)
 */
import { escapePointer, isRecord, type SchemaViolation } from './violations.js';

type Json = Record<string, unknown>;

/** Whether a union branch can describe `data`; only object and array branches matter for property names. */
function typeMatches(schema: Json, data: unknown): boolean {
  const type = schema['type'];
  if (type === 'object') return isRecord(data);
  if (type === 'array') return Array.isArray(data);
  return false;
}

/** The first object entry of a union's branch list that `matches`; a loop, not filter/find: it runs for every node. */
function firstBranch(branches: unknown[], matches: (branch: Json) => boolean): Json | undefined {
  for (const branch of branches) if (isRecord(branch) && matches(branch)) return branch;
  return undefined;
}

/** The schema that actually describes `data`: the matching branch of a nullable union or a discriminated oneOf. */
function resolve(schema: Json, data: unknown): Json | undefined {
  if (schema['properties'] !== undefined || schema['items'] !== undefined) return schema;
  const discriminator = schema['discriminator'];
  const oneOf = schema['oneOf'];
  if (isRecord(discriminator) && Array.isArray(oneOf) && isRecord(data)) {
    const tag = String(discriminator['propertyName']);
    // No branch for an unknown tag: the discriminator error already says so, and any property list would guess.
    return firstBranch(oneOf, (branch) => {
      const props = branch['properties'];
      return isRecord(props) && isRecord(props[tag]) && props[tag]['const'] === data[tag];
    });
  }
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) {
    const branch = firstBranch(anyOf, (b) => b['type'] !== 'null' && typeMatches(b, data));
    return branch === undefined ? undefined : resolve(branch, data);
  }
  return schema;
}

function suggestion(key: string, declared: readonly string[]): string {
  const match = declared.find((name) => name.toLowerCase() === key.toLowerCase());
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}

/**
 * Where the walk is: the keys from the body down to the current node, pushed and popped as the walk goes, so walking
 * a 2000-record page allocates nothing per node; the JSON pointer is built only for a property that is reported.
 */
type Path = Array<string | number>;

function pointerOf(path: Path, key: string): string {
  let pointer = '';
  for (const k of path) pointer += `/${typeof k === 'number' ? k : escapePointer(k)}`;
  return `${pointer}/${escapePointer(key)}`;
}

function walk(schema: Json, data: unknown, path: Path, out: SchemaViolation[]): void {
  // A string, number, boolean or null has no properties to check.
  if (data === null || typeof data !== 'object') return;
  const resolved = resolve(schema, data);
  if (resolved === undefined) return;
  const items = resolved['items'];
  if (Array.isArray(data)) {
    if (!isRecord(items)) return;
    for (let i = 0; i < data.length; i++) {
      const item: unknown = data[i];
      if (item === null || typeof item !== 'object') continue;
      path.push(i);
      walk(items, item, path, out);
      path.pop();
    }
    return;
  }
  const properties = resolved['properties'];
  if (!isRecord(data) || !isRecord(properties)) return;
  for (const key in data) {
    if (!Object.hasOwn(data, key)) continue;
    const child = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (isRecord(child)) {
      const value = data[key];
      if (value === null || typeof value !== 'object') continue;
      path.push(key);
      walk(child, value, path, out);
      path.pop();
    } else {
      const message = `unknown property ${key} is not part of this OICP message and is ignored`;
      out.push({
        pointer: pointerOf(path, key),
        severity: 'warning',
        message: `${message}${suggestion(key, Object.keys(properties))}`,
      });
    }
  }
}

/**
 * Warnings for every property of `body` that `schema` does not declare, recursing through objects, arrays, nullable
 * unions and the `Type`-selected notification branch.
 */
export function unknownProperties(schema: unknown, body: unknown): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  if (isRecord(schema)) walk(schema, body, [], out);
  return out;
}
