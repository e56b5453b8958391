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

/** The schema that actually describes `data`: the matching branch of a nullable union or a discriminated oneOf. */
function resolve(schema: Json, data: unknown): Json | undefined {
  if (schema['properties'] !== undefined || schema['items'] !== undefined) return schema;
  const discriminator = schema['discriminator'];
  const oneOf = schema['oneOf'];
  if (isRecord(discriminator) && Array.isArray(oneOf) && isRecord(data)) {
    const tag = String(discriminator['propertyName']);
    // No branch for an unknown tag: the discriminator error already says so, and any property list would guess.
    return oneOf.filter(isRecord).find((branch) => {
      const props = branch['properties'];
      return isRecord(props) && isRecord(props[tag]) && props[tag]['const'] === data[tag];
    });
  }
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) {
    const branch = anyOf.filter(isRecord).find((b) => b['type'] !== 'null' && typeMatches(b, data));
    return branch === undefined ? undefined : resolve(branch, data);
  }
  return schema;
}

function suggestion(key: string, declared: readonly string[]): string {
  const match = declared.find((name) => name.toLowerCase() === key.toLowerCase());
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}

/**
 * Where the walk is, as a chain of keys: the JSON pointer string is built only for a property that is reported.
 * Building one for every property of a 2000-record page was most of the walk's cost.
 */
type Path = { parent: Path; key: string } | undefined;

function pointerOf(path: Path): string {
  const keys: string[] = [];
  for (let p = path; p; p = p.parent) keys.push(escapePointer(p.key));
  return keys.reverse().reduce((pointer, key) => `${pointer}/${key}`, '');
}

function walk(schema: Json, data: unknown, path: Path, out: SchemaViolation[]): void {
  // A string, number, boolean or null has no properties to check.
  if (data === null || typeof data !== 'object') return;
  const resolved = resolve(schema, data);
  if (resolved === undefined) return;
  const items = resolved['items'];
  if (Array.isArray(data)) {
    if (isRecord(items))
      for (let i = 0; i < data.length; i++) walk(items, data[i], { parent: path, key: String(i) }, out);
    return;
  }
  const properties = resolved['properties'];
  if (!isRecord(data) || !isRecord(properties)) return;
  for (const key in data) {
    if (!Object.hasOwn(data, key)) continue;
    const child = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (isRecord(child)) walk(child, data[key], { parent: path, key }, out);
    else {
      const message = `unknown property ${key} is not part of this OICP message and is ignored`;
      out.push({
        pointer: pointerOf({ parent: path, key }),
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
  if (isRecord(schema)) walk(schema, body, undefined, out);
  return out;
}
