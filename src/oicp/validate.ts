/**
 * Validates OICP bodies against the project's schemas. Every request/response schema and the shared components
 * are compiled once, at module load, into a registry; callers never compile.
 * @see OICP 2.3 CPO and EMP OpenAPI: the schemas follow them; where they deviate (real string lengths, HBS nulls,
 *   date-time offsets, oneOf bodies chosen by Type) the schema in schemas/ says why.
 */

import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { MESSAGES, type RequestOf } from './messages.js';
import { OPERATION_IDS, type OperationId } from './operations.js';
import { ChargeDetailRecord } from './schemas/cdr.js';
import { RULE_KEYWORD } from './schemas/common.js';
import { EvseDataRecord } from './schemas/evse-data.js';
import { EvseStatusRecord } from './schemas/evse-status.js';
import { Identification } from './schemas/identification.js';
import { unknownProperties } from './unknown-properties.js';
import { describeAjvErrors, type SchemaViolation } from './violations.js';

export type { SchemaViolation } from './violations.js';
export type MessageSide = 'request' | 'response';
export type ComponentName = 'EvseDataRecord' | 'EvseStatusRecord' | 'Identification' | 'ChargeDetailRecord';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = addFormatsModule.default;

const ajv = new Ajv({
  allErrors: true,
  strict: true,
  strictTypes: true,
  // The official EvcoID/ProviderID/Google patterns contain `\-` and `\,`, which the `u` flag rejects.
  unicodeRegExp: false,
  // Errors carry data and schema, which the messages need (identifier names, rule members).
  verbose: true,
  // ChargingNotification is chosen by `Type`, not by an ambiguous oneOf.
  discriminator: true,
});
addFormats(ajv);
ajv.addKeyword({ keyword: RULE_KEYWORD, schemaType: 'string' });

interface Compiled {
  schema: TSchema;
  check: ValidateFunction;
}

const compile = (schema: TSchema): Compiled => ({ schema, check: ajv.compile(schema) });

const messageRegistry = new Map<string, Compiled>(
  OPERATION_IDS.flatMap((op) => [
    [`${op}:request`, compile(MESSAGES[op].request)] as const,
    [`${op}:response`, compile(MESSAGES[op].response)] as const,
  ]),
);

const componentRegistry: Readonly<Record<ComponentName, Compiled>> = {
  EvseDataRecord: compile(EvseDataRecord),
  EvseStatusRecord: compile(EvseStatusRecord),
  Identification: compile(Identification),
  ChargeDetailRecord: compile(ChargeDetailRecord),
};

function run({ schema, check }: Compiled, value: unknown): SchemaViolation[] {
  const errors = check(value) ? [] : describeAjvErrors(check.errors ?? []);
  return [...errors, ...unknownProperties(schema, value)];
}

/**
 * Violations of one OICP request or response body: errors for schema breaches, warnings for unknown properties.
 * An empty list, or warnings only, means the body conforms.
 * @see OICP 2.3 CPO and EMP OpenAPI, the operation's request and response schemas
 */
export function validateMessage(operation: OperationId, side: MessageSide, body: unknown): SchemaViolation[] {
  const compiled = messageRegistry.get(`${operation}:${side}`);
  if (compiled === undefined) throw new Error(`no schema registered for ${operation} ${side}`);
  return run(compiled, body);
}

/**
 * Violations of a single component (e.g. an EVSE record from simulator/ data) outside any message.
 * @see OICP 2.3 CPO OpenAPI, the component's schema (e.g. EvseDataRecord)
 */
export function validateComponent(name: ComponentName, value: unknown): SchemaViolation[] {
  return run(componentRegistry[name], value);
}

/** True when the violations contain no error (warnings, i.e. unknown properties, allowed). */
export function conforms(violations: readonly SchemaViolation[]): boolean {
  return violations.every((v) => v.severity !== 'error');
}

/**
 * A request body checked against its operation's schema, typed as that operation's request when it conforms: the
 * one place where a body of unknown shape (a scenario's, a curl's, the wire's) becomes a typed message.
 */
export function checkRequest<O extends OperationId>(
  operation: O,
  body: unknown,
): { violations: SchemaViolation[]; request?: RequestOf<O> } {
  const violations = validateMessage(operation, 'request', body);
  // The schema is the TypeBox definition RequestOf<O> is derived from, so a conforming body is that type.
  return conforms(violations) ? { violations, request: body as RequestOf<O> } : { violations };
}
