/**
 * Turns ajv's errors into violations a partner's developer can act on: a JSON pointer to the offending field and a
 * sentence that names the identifier, lists allowed values, or states the OICP rule, without ajv's branch noise.
 * @see OICP 2.3 CPO OpenAPI, identifier schemas (EvseID, EvcoID, …) and StatusCode; OICP 2.3 CPO, 03 Data Types,
 *   IdentificationType (exactly one medium)
 */
import type { ErrorObject } from 'ajv';
import { RULE_KEYWORD, type RuleName } from './schemas/common.js';

export interface SchemaViolation {
  /** JSON pointer into the body; '' is the root. */
  pointer: string;
  message: string;
  /** Warnings flag unknown properties, which HBS silently ignores. */
  severity: 'error' | 'warning';
}

type Json = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Escapes a property name for a JSON pointer (RFC 6901), as ajv's instancePath does. */
export const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

const RULE_TEXT: Record<RuleName, { subject: string; exactlyOne: boolean }> = {
  exactlyOneIdentification: { subject: 'Identification must hold exactly one identification medium', exactlyOne: true },
  geoCoordinatesFormat: { subject: 'GeoCoordinates must give at least one notation', exactlyOne: false },
  progressAmount: { subject: 'a Progress notification must carry at least one amount', exactlyOne: false },
  periodsSpelling: { subject: 'ProductAvailabilityTimes must list its periods', exactlyOne: false },
};

function ruleOf(e: ErrorObject): RuleName | undefined {
  if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') return undefined;
  const rule = isRecord(e.parentSchema) ? e.parentSchema[RULE_KEYWORD] : undefined;
  return typeof rule === 'string' && rule in RULE_TEXT ? (rule as RuleName) : undefined;
}

/** Members a rule counts: the single `required` name of each branch. */
function ruleMembers(e: ErrorObject): string[] {
  const branches = Array.isArray(e.schema) ? e.schema : [];
  return branches.flatMap((b) => (isRecord(b) && Array.isArray(b['required']) ? b['required'].map(String) : []));
}

/** Undefined when the count is fine: then a member has the wrong type, which its own error reports. */
function describeRule(e: ErrorObject, rule: RuleName): string | undefined {
  // On a non-object the branches pass vacuously; the type error is the real finding.
  if (!isRecord(e.data)) return undefined;
  const members = ruleMembers(e);
  const data = e.data;
  const present = members.filter((m) => data[m] !== undefined && data[m] !== null);
  const { subject, exactlyOne } = RULE_TEXT[rule];
  if (present.length === 0) return `${subject}: one of ${members.join(', ')}; found none`;
  if (exactlyOne && present.length > 1) return `${subject}; found ${present.length}: ${present.join(', ')}`;
  return undefined;
}

/** `Opt(x)` is `anyOf: [x, null]`: for a non-null value only x's own errors are useful. */
function isNullBranchNoise(e: ErrorObject): boolean {
  if (e.keyword === 'type' && e.params['type'] === 'null') return true;
  return e.keyword === 'anyOf' && Array.isArray(e.schema) && e.schema.some((s) => isRecord(s) && s['type'] === 'null');
}

function discriminatorValues(parentSchema: unknown, tag: string): string[] {
  const branches = isRecord(parentSchema) && Array.isArray(parentSchema['oneOf']) ? parentSchema['oneOf'] : [];
  return branches.flatMap((b) => {
    const props = isRecord(b) ? b['properties'] : undefined;
    const tagSchema = isRecord(props) ? props[tag] : undefined;
    return isRecord(tagSchema) && typeof tagSchema['const'] === 'string' ? [tagSchema['const']] : [];
  });
}

function patternMessage(e: ErrorObject): string {
  const parent = isRecord(e.parentSchema) ? e.parentSchema : {};
  const title = typeof parent['title'] === 'string' ? parent['title'] : undefined;
  const examples = Array.isArray(parent['examples']) ? parent['examples'] : [];
  const example = typeof examples[0] === 'string' ? ` (e.g. ${JSON.stringify(examples[0])})` : '';
  const what = title === undefined ? `pattern ${String(e.params['pattern'])}` : `the ${title} format${example}`;
  return `must match ${what}, got ${describeValue(e.data)}`;
}

function describe(e: ErrorObject): SchemaViolation | undefined {
  const p = e.params;
  const at = (pointer: string, message: string): SchemaViolation => ({ pointer, message, severity: 'error' });
  switch (e.keyword) {
    case 'required': {
      const name = String(p['missingProperty']);
      return at(`${e.instancePath}/${escapePointer(name)}`, `required property ${name} is missing`);
    }
    case 'type': {
      const nullNote = e.data === null ? ' (null is accepted only for optional fields)' : '';
      return at(e.instancePath, `must be ${article(String(p['type']))}, got ${describeValue(e.data)}${nullNote}`);
    }
    case 'pattern':
      return at(e.instancePath, patternMessage(e));
    case 'format':
      return at(
        e.instancePath,
        p['format'] === 'date-time'
          ? `must be a date-time with a time-zone offset, e.g. "2024-05-01T12:00:00+02:00", got ${describeValue(e.data)}`
          : `must be a valid ${String(p['format'])}, got ${describeValue(e.data)}`,
      );
    case 'enum': {
      const allowed = Array.isArray(p['allowedValues']) ? p['allowedValues'].filter((v) => v !== null) : [];
      const list = allowed.map((v) => JSON.stringify(v)).join(', ');
      return at(e.instancePath, `must be one of ${list}; got ${describeValue(e.data)}`);
    }
    case 'maxLength':
    case 'minLength': {
      const length = typeof e.data === 'string' ? e.data.length : 0;
      const bound = e.keyword === 'maxLength' ? 'at most' : 'at least';
      return at(e.instancePath, `must be ${bound} ${String(p['limit'])} characters long, got ${length}`);
    }
    case 'maximum':
    case 'minimum':
      return at(e.instancePath, `must be ${String(p['comparison'])} ${String(p['limit'])}, got ${String(e.data)}`);
    case 'maxItems':
    case 'minItems': {
      const count = Array.isArray(e.data) ? e.data.length : 0;
      const bound = e.keyword === 'maxItems' ? 'at most' : 'at least';
      return at(e.instancePath, `must have ${bound} ${String(p['limit'])} items, got ${count}`);
    }
    case 'discriminator': {
      const tag = String(p['tag']);
      const allowed = discriminatorValues(e.parentSchema, tag).join(', ');
      const value = isRecord(e.data) ? e.data[tag] : undefined;
      const message =
        value === undefined
          ? `required property ${tag} is missing; it selects the message (${allowed})`
          : `must be one of ${allowed}; got ${describeValue(value)}`;
      return at(`${e.instancePath}/${escapePointer(tag)}`, message);
    }
    case 'oneOf':
    case 'anyOf': {
      const rule = ruleOf(e);
      const message = rule === undefined ? (e.message ?? e.keyword) : describeRule(e, rule);
      return message === undefined ? undefined : at(e.instancePath, message);
    }
    default:
      return at(e.instancePath, e.message ?? `fails ${e.keyword}`);
  }
}

/**
 * Converts ajv errors (compiled with `verbose: true`) into violations: drops the null-branch noise of optional
 * fields and the per-branch errors under an OICP rule, and points `required` errors at the missing property.
 * The null branches exist because HBS sends explicit nulls: see Opt in schemas/common.ts.
 */
export function describeAjvErrors(errors: readonly ErrorObject[]): SchemaViolation[] {
  const rulePaths = errors.filter((e) => ruleOf(e) !== undefined).map((e) => `${e.schemaPath}/`);
  // `enum` applies to any type; after "must be a string" the list of allowed strings adds nothing.
  const typeErrors = errors.filter((e) => e.keyword === 'type' && !isNullBranchNoise(e));
  const typeErrorAt = new Set(typeErrors.map((e) => e.instancePath));
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const e of errors) {
    if (isNullBranchNoise(e) || rulePaths.some((path) => e.schemaPath.startsWith(path))) continue;
    if (e.keyword === 'enum' && typeErrorAt.has(e.instancePath)) continue;
    const violation = describe(e);
    const key = violation === undefined ? '' : `${violation.pointer}\u0000${violation.message}`;
    if (violation === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push(violation);
  }
  return out;
}
