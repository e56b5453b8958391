/**
 * Validates OICP bodies against the project's schemas. Each request/response schema and shared component is
 * compiled on its first use and kept; callers never compile. Compiling all of them at module load cost about a
 * second of every start (issue 14: `serve` must answer its first mTLS request within 0.8 s), most of it for messages
 * a given run never sees.
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

const AJV_OPTIONS = {
  strict: true,
  strictTypes: true,
  // The official EvcoID/ProviderID/Google patterns contain `\-` and `\,`, which the `u` flag rejects.
  unicodeRegExp: false,
  // ChargingNotification is chosen by `Type`, not by an ambiguous oneOf.
  discriminator: true,
  // ajv's code optimisation pass costs about 40% of compile time: it is left out of a schema's first compilation so
  // that its first use (at start, EvseDataRecord for simulator/ data) is short. See OPTIMIZE_AFTER_USES.
  code: { optimize: false },
} as const;

/**
 * Two compilations of every schema (issue 16). Most bodies conform, and collecting every error with its data and
 * schema (allErrors + verbose) is what makes ajv slow on them; allErrors and verbose change the error list, never the
 * verdict. So `fast` stops at the first error and carries none, and only a body it rejects goes through `full` for
 * the violation list.
 */
function makeAjv(full: boolean, optimize = false): Ajv {
  const instance = new Ajv({
    ...AJV_OPTIONS,
    allErrors: full,
    // Errors carry data and schema, which the messages need (identifier names, rule members).
    verbose: full,
    code: { optimize },
  });
  addFormats(instance);
  instance.addKeyword({ keyword: RULE_KEYWORD, schemaType: 'string' });
  return instance;
}
const fastAjv = makeAjv(false);
const optimizedAjv = makeAjv(false, true);

/**
 * A message schema's fail-fast validator is compiled again with ajv's code optimisation once it has checked this many
 * bodies: a message in steady traffic pays the longer compilation once (about 70 ms more for the EVSE data ones) and
 * then validates 2000-record pushes and pages in about half the time (15 → 8 ms per 2000 records, measured on dist/).
 * Component schemas keep the short compilation: they check simulator/ data record by record at start, where issue 14's
 * first-answer budget is spent.
 */
export const OPTIMIZE_AFTER_USES = 64;
const fullAjv = makeAjv(true);

interface Compiled {
  schema: TSchema;
  /** Fail-fast verdict, no errors collected; replaced by its optimized compilation after OPTIMIZE_AFTER_USES. */
  fast: ValidateFunction;
  uses: number;
  /** The use at which `fast` is compiled again, optimized (never for a component). */
  optimizeAt: number;
  /** Every error, verbose; compiled on the first body `fast` rejects. */
  full: ValidateFunction | undefined;
}

const compile = (schema: TSchema, optimizeAt: number): Compiled => ({
  schema,
  fast: fastAjv.compile(schema),
  uses: 0,
  optimizeAt,
  full: undefined,
});

const messageRegistry = new Map<`${OperationId}:${MessageSide}`, Compiled>();
const componentRegistry = new Map<ComponentName, Compiled>();

const COMPONENTS: Readonly<Record<ComponentName, TSchema>> = {
  EvseDataRecord,
  EvseStatusRecord,
  Identification,
  ChargeDetailRecord,
};

function compiledMessage(operation: OperationId, side: MessageSide): Compiled {
  const key = `${operation}:${side}` as const;
  let compiled = messageRegistry.get(key);
  if (compiled === undefined) {
    const schemas = MESSAGES[operation];
    if (schemas === undefined) throw new Error(`no schema registered for ${operation} ${side}`);
    compiled = compile(schemas[side], OPTIMIZE_AFTER_USES);
    messageRegistry.set(key, compiled);
  }
  return compiled;
}

function compiledComponent(name: ComponentName): Compiled {
  let compiled = componentRegistry.get(name);
  if (compiled === undefined) {
    compiled = compile(COMPONENTS[name], Number.POSITIVE_INFINITY);
    componentRegistry.set(name, compiled);
  }
  return compiled;
}

/**
 * Compiles every message and component schema now, so a strict-mode mistake in any of them shows at once (the unit
 * tests call this) instead of on the first message that uses it.
 */
export function compileAllSchemas(): number {
  for (const op of OPERATION_IDS) for (const side of ['request', 'response'] as const) compiledMessage(op, side);
  for (const name of Object.keys(COMPONENTS) as ComponentName[]) compiledComponent(name);
  // Both tiers, so a mistake that only the allErrors compilation would meet shows here too.
  for (const compiled of [...messageRegistry.values(), ...componentRegistry.values()])
    compiled.full ??= fullAjv.compile(compiled.schema);
  return messageRegistry.size + componentRegistry.size;
}

/** Which tier ran: the tests count passes through it (a conforming body must take only the fast one). */
export type ValidationTier = 'fast' | 'full';
let tierProbe: ((tier: ValidationTier) => void) | undefined;

/** Calls `probe` for every tier run from now on; `undefined` removes it. For tests. */
export function probeValidationTiers(probe: ((tier: ValidationTier) => void) | undefined): void {
  tierProbe = probe;
}

function schemaErrors(compiled: Compiled, value: unknown): SchemaViolation[] {
  tierProbe?.('fast');
  if (++compiled.uses === compiled.optimizeAt) compiled.fast = optimizedAjv.compile(compiled.schema);
  if (compiled.fast(value)) return [];
  tierProbe?.('full');
  compiled.full ??= fullAjv.compile(compiled.schema);
  // Both compilations agree on the verdict; `full` is asked again only for its list of errors.
  return compiled.full(value) ? [] : describeAjvErrors(compiled.full.errors ?? []);
}

function run(compiled: Compiled, value: unknown): SchemaViolation[] {
  const errors = schemaErrors(compiled, value);
  const warnings = unknownProperties(compiled.schema, value);
  return warnings.length === 0 ? errors : [...errors, ...warnings];
}

/**
 * Violations of one OICP request or response body: errors for schema breaches, warnings for unknown properties.
 * An empty list, or warnings only, means the body conforms.
 * @see OICP 2.3 CPO and EMP OpenAPI, the operation's request and response schemas
 */
export function validateMessage(operation: OperationId, side: MessageSide, body: unknown): SchemaViolation[] {
  return run(compiledMessage(operation, side), body);
}

/**
 * Violations of a single component (e.g. an EVSE record from simulator/ data) outside any message.
 * @see OICP 2.3 CPO OpenAPI, the component's schema (e.g. EvseDataRecord)
 */
export function validateComponent(name: ComponentName, value: unknown): SchemaViolation[] {
  return run(compiledComponent(name), value);
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
