import { type Static, Type } from '@sinclair/typebox';
import { OPERATION_IDS, SERVICE_TYPES, type ServiceType } from '../../oicp/operations.js';
import { FAULT_KINDS } from '../../partners/kit/faults.js';
import { EXCHANGE_INVARIANTS, ITEM_INVARIANTS } from './invariants.js';

/**
 * The scenario file format (scenarios/**.yaml), version 1: one certification checklist item per file, as steps the
 * harness takes against the partner under test and the checks it makes on the exchanges those steps produce.
 * The loader validates with this schema (and the rules in src/harness/scenario/rules.ts); src/harness/scenario/write-schema.ts
 * emits it for editors, so both see the same rules. Descriptions are what an editor shows on hover.
 * @see scenarios/README.md
 */

export const SCENARIO_VERSION = 1;

/** What a virtual actor can be asked to do in a step (the same actions as the /_sim control surface). */
export const ACTOR_ACTIONS = {
  station: ['plug', 'unplug', 'stop', 'swipe', 'scan-qr', 'report-error', 'status'],
  emp: [
    'remote-start',
    'remote-stop',
    'reservation-start',
    'reservation-stop',
    'pull-evse-data',
    'pull-evse-status',
    'get-cdrs',
    'push-auth-data',
  ],
} as const;
export type ActorAction = (typeof ACTOR_ACTIONS)[keyof typeof ACTOR_ACTIONS][number];

const enumOf = <T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], description });
const text = (description: string) => Type.String({ minLength: 1, description });
const protocolMs = (description: string) =>
  Type.Integer({ minimum: 0, description: `${description} Protocol milliseconds (the time scale compresses them).` });
/** Any JSON value; strings may hold `{{name}}` placeholders filled from captures and the partner profile. */
const Template = Type.Unknown({
  description: 'A value; strings may use {{capture}} or {{partner.evseIds[0]}} placeholders.',
});

const Operation = enumOf(OPERATION_IDS, 'An OICP operation.');
const Pointer = Type.String({
  pattern: '^(/[^/]*)*$',
  description: 'A JSON pointer, e.g. /StatusCode/Code; "" is the whole body.',
});
const SidePointer = Type.String({
  pattern: '^(request|response):(/[^/]*)*$',
  description: 'A side and a JSON pointer into that body, e.g. response:/SessionID.',
});

const FieldMatcher = Type.Union(
  [
    Type.Object({ equals: Template }, { additionalProperties: false }),
    Type.Object(
      { matches: Type.String({ minLength: 1, description: 'A regular expression the value must match.' }) },
      { additionalProperties: false },
    ),
    Type.Object(
      { exists: Type.Boolean({ description: 'The field must (true) or must not (false) be present.' }) },
      { additionalProperties: false },
    ),
    Type.Object({ oneOf: Type.Array(Template, { minItems: 1 }) }, { additionalProperties: false }),
    Type.Object(
      { sameAs: SidePointer },
      { additionalProperties: false, description: 'Equal to another field of the same exchange.' },
    ),
    Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()], { description: 'Shorthand for equals.' }),
  ],
  { description: 'What the field must be.' },
);

const Expect = Type.Object(
  {
    on: Type.Optional(
      enumOf(
        ['request', 'response'] as const,
        "Which body schema and fields read; default: response, or request when awaiting the partner's own request.",
      ),
    ),
    exchange: Type.Optional(
      Type.Unsafe<string>({
        ...Operation,
        description: "Which exchange of the step: the one of this operation (default: the step's own).",
      }),
    ),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599, description: 'HTTP status of the answer.' })),
    schema: Type.Optional(
      Type.Boolean({ description: 'The checked body validates against the OICP model (true) — or must not (false).' }),
    ),
    code: Type.Optional(
      Type.String({
        pattern: '^\\d{3}$',
        description: 'StatusCode.Code of the answer (always the response), e.g. "000".',
      }),
    ),
    fields: Type.Optional(
      Type.Record(Pointer, FieldMatcher, { description: 'JSON pointer → what the field must be.' }),
    ),
    latencyMs: Type.Optional(protocolMs('The answer arrives within this many milliseconds.')),
    rules: Type.Optional(
      Type.Array(enumOf(EXCHANGE_INVARIANTS, 'A rule on the checked message (src/harness/scenario/invariants.ts).'), {
        uniqueItems: true,
        minItems: 1,
        description: 'Named rules a field matcher cannot say, e.g. cdr-consistent.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Checks on the exchange the step produced.' },
);

/**
 * A step is one of nine kinds, named by the key it carries (actor, send, await, trigger, fault, throttle, seed, wait, check). One object
 * schema with every key optional gives editors completion and "unknown key, did you mean" messages; which keys go
 * with which kind is checked by src/harness/scenario/rules.ts, which can say so in words.
 */
export const STEP_KINDS = ['actor', 'send', 'await', 'trigger', 'fault', 'throttle', 'seed', 'wait', 'check'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const KIND_KEYS: Readonly<Record<StepKind, readonly string[]>> = {
  actor: ['actor', 'action', 'with'],
  send: ['send', 'body', 'query', 'timeoutMs'],
  await: ['await', 'match', 'timeoutMs', 'absent', 'ifMissing'],
  trigger: ['trigger', 'with'],
  fault: ['fault'],
  throttle: ['throttle'],
  seed: ['seed'],
  wait: ['wait'],
  check: ['check'],
};
export const COMMON_STEP_KEYS = ['title', 'expect', 'capture', 'requires', 'unless'] as const;

const Fault = Type.Object(
  {
    kind: enumOf(FAULT_KINDS, 'The misbehaviour (see README "Faults on purpose").'),
    actor: Type.Optional(text('Virtual actor key.')),
    operation: Type.Optional(Operation),
    evseId: Type.Optional(Template),
    token: Type.Optional(Template),
    delayMs: Type.Optional(protocolMs('For delay.')),
    code: Type.Optional(Type.String({ pattern: '^\\d{3}$' })),
    times: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false, description: 'Arm a fault on a virtual actor.' },
);

const Throttle = Type.Object(
  {
    operation: Type.Unsafe<string>({ ...Operation, description: 'An operation the partner sends to HBS.' }),
    times: Type.Optional(
      Type.Integer({ minimum: 1, description: 'How many of its next calls are refused (default 1).' }),
    ),
    retryAfterMs: Type.Optional(
      protocolMs(
        'The Retry-After HBS gives (default 10000); the header carries it in whole seconds of real time, at least 1.',
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      "HBS answers the partner's next calls of an operation with 429 Too Many Requests and a Retry-After, whatever the AUP count, to see it back off.",
  },
);

const Seed = Type.Object(
  {
    actor: text('The virtual CPO (a key under simulator/virtual/, e.g. virtual-cpo) whose records HBS holds.'),
    evseData: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description: 'How many EVSE records of that CPO HBS holds for PullEvseData (2100: two pages at size 2000).',
      }),
    ),
    cdrs: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description:
          'How many CDRs of that CPO for the EMP under test HBS holds for GetChargeDetailRecords (2100: two pages at size 2000).',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'HBS holds generated EVSE records or CDRs of a virtual CPO (loaded into its state, no push), so a paged pull has more than one page at any page size; removed when the item ends.',
  },
);

export const ScenarioStep = Type.Object(
  {
    title: Type.Optional(text('What the step does, in the report.')),
    actor: Type.Optional(
      text(
        'Drive this virtual actor (a key under simulator/virtual/, e.g. virtual-emp); its requests go through the hub.',
      ),
    ),
    action: Type.Optional(
      enumOf([...ACTOR_ACTIONS.station, ...ACTOR_ACTIONS.emp], 'With actor: what it does (as the /_sim routes).'),
    ),
    with: Type.Optional(
      Type.Record(Type.String(), Template, { description: 'With actor or trigger: its input, e.g. { evseId, uid }.' }),
    ),
    send: Type.Optional(
      Type.Unsafe<string>({
        ...Operation,
        description: 'The hub sends this request to the partner, as HBS forwards it.',
      }),
    ),
    body: Type.Optional(Template),
    query: Type.Optional(Type.Record(Type.String(), Template)),
    await: Type.Optional(
      Type.Unsafe<string>({
        ...Operation,
        description:
          'Wait for the partner to send this request to the hub — or, for an operation the partner receives, for HBS to forward it.',
      }),
    ),
    match: Type.Optional(
      Type.Record(Pointer, FieldMatcher, { description: 'With await: only a request whose fields match counts.' }),
    ),
    timeoutMs: Type.Optional(protocolMs('With send or await: how long to wait.')),
    absent: Type.Optional(
      Type.Boolean({
        description:
          'With await: passes when no matching request arrives within timeoutMs (e.g. no retry, no charging).',
      }),
    ),
    ifMissing: Type.Optional(
      enumOf(
        ['fail', 'warn'] as const,
        'With await: `warn` when the spec only says the partner should (or can) send it: nothing arriving is a warning of the item, not a failure. Default fail.',
      ),
    ),
    trigger: Type.Optional(
      text('Make the partner act through a trigger of its profile (its test API, or a prompt to a person).'),
    ),
    fault: Type.Optional(Fault),
    throttle: Type.Optional(Throttle),
    seed: Type.Optional(Seed),
    wait: Type.Optional(protocolMs('Wait this long.')),
    check: Type.Optional(
      Type.Array(enumOf(ITEM_INVARIANTS, "A rule on all the partner's exchanges of this item so far."), {
        uniqueItems: true,
        minItems: 1,
        description: 'Named rules over the item so far, e.g. pushes-sequential.',
      }),
    ),
    expect: Type.Optional(Expect),
    requires: Type.Optional(
      Type.Array(enumOf(SERVICE_TYPES, 'A service type.'), {
        uniqueItems: true,
        minItems: 1,
        description:
          'Run this step only when the partner profile declares these service types (e.g. an await of the optional ChargingNotifications); else it is left out, neither passed nor failed.',
      }),
    ),
    unless: Type.Optional(
      Type.Array(enumOf(SERVICE_TYPES, 'A service type.'), {
        uniqueItems: true,
        minItems: 1,
        description:
          'Run this step only when the partner profile declares none of these service types: what stands in for a step left out by `requires` (e.g. time for a charge to start where no Start notification says it has).',
      }),
    ),
    capture: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' }), SidePointer, {
        description: 'name → side:pointer; later steps use {{name}}.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'One of: actor, send, await, trigger, fault, throttle, seed, wait, check.',
  },
);
export type ScenarioStep = Static<typeof ScenarioStep>;

export const ScenarioFileSchema = Type.Object(
  {
    version: Type.Literal(SCENARIO_VERSION, { description: 'Scenario format version; must be 1.' }),
    id: Type.String({ pattern: '^(CPO|EMP)-\\d{2}[a-z]?$', description: 'Stable checklist ID, e.g. CPO-07.' }),
    title: text('The test, as the checklist words it.'),
    role: enumOf(['CPO', 'EMP'] as const, 'Role of the partner under test.'),
    section: enumOf<ServiceType | 'general'>(
      [...SERVICE_TYPES, 'general'],
      'Service type the item belongs to, or general.',
    ),
    mandatory: Type.Boolean({
      description:
        'Mandatory for certification; optional items are skipped, not failed, when the partner lacks the service.',
    }),
    spec: text('Where the rule is written (spec file and line, Hubject article).'),
    tags: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9-]+$' }), { uniqueItems: true })),
    requires: Type.Optional(
      Type.Array(enumOf(SERVICE_TYPES, 'A service type.'), {
        uniqueItems: true,
        description: 'Skipped unless the partner implements these.',
      }),
    ),
    ocpp: Type.Optional(
      Type.Literal(true, {
        description:
          "Compares the CPO's OICP side with its charge points: runs only when the partner profile has an `ocpp:` block, skipped otherwise.",
      }),
    ),
    steps: Type.Array(ScenarioStep, { minItems: 1 }),
  },
  { additionalProperties: false, description: 'An hbs-sim certification scenario.' },
);
export type ScenarioFile = Static<typeof ScenarioFileSchema>;
