/**
 * The certification report: one versioned model, defined once with TypeBox so the TypeScript type and the shipped
 * JSON Schema (src/harness/report/report.schema.json) cannot disagree. `report.json` is this model serialised; every other
 * file (JUnit, HTML, Markdown, the console table) is a pure function of it.
 * @see reports/README.md for the meaning of each field
 */
import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { SERVICE_TYPES } from '../../oicp/operations.js';

/** Bumped on any change a reader of report.json must know about; readers refuse versions they do not know. */
export const REPORT_VERSION = 1;

/** A string enum as one `enum` keyword, so a validator names the allowed values in one message. */
function StringEnum<const T extends readonly string[]>(values: T, description: string): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
}

const object = <P extends Record<string, TSchema>>(properties: P, description: string) =>
  Type.Object(properties, { additionalProperties: false, description });
const Timestamp = (description: string) => Type.String({ format: 'date-time', description });
const Millis = (description: string) => Type.Number({ minimum: 0, description: `${description} Milliseconds.` });
const Text = (description: string) => Type.String({ description });
const Count = Type.Integer({ minimum: 0 });

/**
 * `failed`: the partner under test is not conformant. `error`: the harness could not check (TLS handshake,
 * connection, our own bug). Keeping them apart is what the report is for.
 */
export const OUTCOMES = ['passed', 'failed', 'skipped', 'error'] as const;
export const Outcome = StringEnum(
  OUTCOMES,
  'passed; failed (the partner is not conformant); skipped (see reason); error (the harness could not check).',
);
export type Outcome = Static<typeof Outcome>;

/** Checklist sections: Hubject's service types, plus `general` for cross-cutting items (AUP, certificates). */
export const SECTIONS = [...SERVICE_TYPES, 'general'] as const;
export const Section = StringEnum(SECTIONS, 'Hubject service type the checklist item belongs to, or general.');
export type Section = Static<typeof Section>;

export const Role = StringEnum(['CPO', 'EMP'] as const, 'Role of the partner under test.');

export const Reason = object(
  {
    code: Type.Optional(Type.String({ minLength: 1, description: 'Stable code, e.g. PREREQUISITE_FAILED.' })),
    message: Type.String({ minLength: 1, description: 'What happened and what to do about it.' }),
  },
  'Why an item or step was skipped or could not be checked.',
);
export type Reason = Static<typeof Reason>;

const HttpMessage = object(
  {
    method: Type.Optional(Text('HTTP method.')),
    url: Type.Optional(Text('Request URL, secrets redacted.')),
    status: Type.Optional(Type.Integer({ description: 'HTTP status of a response.' })),
    headers: Type.Record(Type.String(), Type.String(), { description: 'Headers; secret ones redacted.' }),
    body: Type.Unknown({ description: 'Parsed JSON, or the raw text when the body was not JSON.' }),
  },
  'One HTTP request or response as recorded.',
);

const Violation = object(
  {
    kind: StringEnum(['schema', 'protocol', 'aup', 'unknown-property'] as const, 'Which kind of rule was broken.'),
    pointer: Text('JSON pointer into the body; empty for the whole message.'),
    message: Text('The rule that was broken.'),
    side: StringEnum(['request', 'response'] as const, 'Which body the pointer refers to.'),
  },
  'A rule an exchange broke, as the hub recorded it.',
);

/** Mirrors src/ocpp/frames.ts OcppFrame field by field (a unit test keeps the key sets equal). */
export const ReportOcppFrame = object(
  {
    seq: Type.Integer({ minimum: 1, description: 'Order in which the run saw the frames, from 1.' }),
    at: Timestamp('When the frame was sent or received.'),
    chargePointId: Text("The charge point's OCPP identity."),
    direction: StringEnum(['cp→csms', 'csms→cp'] as const, 'Who sent the frame.'),
    type: StringEnum(
      ['CALL', 'CALLRESULT', 'CALLERROR', 'MALFORMED'] as const,
      'OCPP-J message type; MALFORMED: not a frame at all (kept as text).',
    ),
    messageId: Type.Optional(Text('OCPP-J message ID, shared by a CALL and its answer.')),
    action: Type.Optional(Text("The CALL's action; on an answer, the action of the CALL it answers.")),
    payload: Type.Optional(Type.Unknown({ description: "The frame's payload (a CALLERROR's error details)." })),
    errorCode: Type.Optional(Text("A CALLERROR's error code.")),
    errorDescription: Type.Optional(Text("A CALLERROR's description.")),
    text: Type.Optional(Text('A MALFORMED frame as it came, cut to 2000 characters.')),
  },
  'One OCPP 1.6-J frame between a virtual charge point and the CSMS of the CPO under test.',
);
export type ReportOcppFrame = Static<typeof ReportOcppFrame>;

/** Mirrors src/shared/exchange.ts field by field (a unit test keeps the key sets equal). */
export const ReportExchange = object(
  {
    id: Type.String({ minLength: 1 }),
    direction: StringEnum(['partner→hub', 'hub→partner'] as const, 'Who sent the request.'),
    operation: Text('OICP operation (e.g. AuthorizeRemoteStart), or unknown for an unmatched route.'),
    partnerId: Type.Optional(Text('OperatorID or ProviderID on the other end of the hub.')),
    causeId: Type.Optional(Text('For a forwarded leg, the exchange that caused it.')),
    sessionId: Type.Optional(Text('SessionID the exchange belongs to.')),
    request: HttpMessage,
    response: Type.Optional(HttpMessage),
    statusCode: Type.Optional(Text('OICP StatusCode.Code of the answer.')),
    startedAt: Timestamp('When the request started.'),
    durationMs: Millis('Request to complete answer (real time, not scaled).'),
    violations: Type.Array(Violation),
    violationTotal: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'How many violations were found in all, when more than the recorded list keeps.',
      }),
    ),
    transportError: Type.Optional(
      object({ code: Text('timeout, connection, tls, …'), message: Text('What failed.') }, 'No HTTP answer.'),
    ),
  },
  'An HTTP exchange the harness relied on, with secret headers redacted.',
);
export type ReportExchange = Static<typeof ReportExchange>;

export const Check = object(
  {
    id: Type.String({ minLength: 1, description: 'Stable within its item, e.g. status-code.' }),
    title: Text('What is checked, in OICP words.'),
    outcome: Outcome,
    expected: Type.Optional(Type.Unknown({ description: 'What the spec requires.' })),
    actual: Type.Optional(Type.Unknown({ description: 'What the partner did.' })),
    message: Type.Optional(Text('Explanation, naming the fix when it failed.')),
    specRef: Type.Optional(Text('Where the rule is written, e.g. "OICP 2.3 CPO 02 line 244".')),
    exchangeId: Type.Optional(Text('The exchange the check read.')),
    pointer: Type.Optional(Text('JSON pointer to the checked field in that exchange body (highlighted in HTML).')),
    side: Type.Optional(StringEnum(['request', 'response'] as const, 'Which body the pointer refers to.')),
  },
  'One assertion about the partner behaviour.',
);
export type Check = Static<typeof Check>;

/**
 * What the spec says a partner SHOULD (or may) do and it did not: shown with the item, never failing it. A broken
 * MUST is a failed Check instead, naming the spec.
 */
export const Warning = object(
  {
    message: Type.String({ minLength: 1, description: 'What the partner did, and what the spec recommends instead.' }),
    specRef: Type.Optional(
      Text(
        'Where the recommendation is written, e.g. "OICP 2.3 CPO, 02 Services and Operations, eRoamingChargingNotifications".',
      ),
    ),
    exchangeId: Type.Optional(Text('The exchange it was seen on.')),
    pointer: Type.Optional(Text('JSON pointer to the field in that exchange body.')),
    side: Type.Optional(StringEnum(['request', 'response'] as const, 'Which body the pointer refers to.')),
  },
  'A recommendation (SHOULD, can) of the spec the partner did not follow; the item still passes.',
);
export type Warning = Static<typeof Warning>;

export const Step = object(
  {
    index: Type.Integer({ minimum: 0 }),
    title: Text('What the harness did or waited for.'),
    outcome: Outcome,
    durationMs: Millis('Time the step took.'),
    reason: Type.Optional(Reason),
    checks: Type.Array(Check),
    exchangeIds: Type.Array(Type.String(), { description: 'Exchanges of this step, in order.' }),
  },
  'One step of a checklist item.',
);
export type Step = Static<typeof Step>;

export const ChecklistItem = object(
  {
    id: Type.String({ minLength: 1, description: 'Checklist item ID, e.g. CPO-07.' }),
    title: Text('The test, as the checklist words it.'),
    section: Section,
    mandatory: Type.Boolean({ description: 'Mandatory for this partner (role and service type settings).' }),
    outcome: Outcome,
    reason: Type.Optional(Reason),
    specRef: Type.Optional(Text('Normative anchor of the item.')),
    startedAt: Type.Optional(Timestamp('When the item started.')),
    durationMs: Millis('Time the item took.'),
    steps: Type.Array(Step),
    warnings: Type.Optional(
      Type.Array(Warning, {
        minItems: 1,
        description: 'SHOULDs the partner did not follow; absent when none. They never change the outcome.',
      }),
    ),
    exchangeIds: Type.Array(Type.String(), { description: 'Every exchange the item relied on, in order.' }),
    ocppFrameSeqs: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        minItems: 1,
        description: 'OCPP frames (seq of ocppFrames) sent or received while the item ran; absent without OCPP.',
      }),
    ),
  },
  'The result of one certification checklist item.',
);
export type ChecklistItem = Static<typeof ChecklistItem>;

const Endpoint = object(
  {
    name: Text('Service type or OICP operation the URL serves.'),
    url: Text('Service URL, secrets (user:password@, token parameters) redacted.'),
  },
  'A Service URL the partner registered.',
);

export const PartnerUnderTest = object(
  {
    id: Text('OperatorID (CPO) or ProviderID (EMP).'),
    role: Role,
    name: Type.Optional(Text('Display name.')),
    subPartnerIds: Type.Optional(Type.Array(Type.String(), { description: 'Sub-operator/-provider IDs.' })),
    endpoints: Type.Array(Endpoint),
  },
  'The partner whose system was tested.',
);
export type PartnerUnderTest = Static<typeof PartnerUnderTest>;

export const RunSettings = object(
  {
    timeScale: Type.Number({ exclusiveMinimum: 0, description: 'Factor applied to protocol waits (1 = real).' }),
    representative: Type.Boolean({
      description:
        'Whether latency and quality figures stand for real protocol time: true only at time scale 1 (below 1 the ' +
        'partner had less real time than OICP allows, above 1 more). Derived from timeScale.',
    }),
    timeScaleNote: Text(
      'The time scale and what it means for the figures, in words, as every report format states it.',
    ),
    timeouts: object(
      {
        authorizeMs: Millis('EMP deadline for a forwarded AuthorizeStart/Stop.'),
        remoteStartMs: Millis('CPO deadline for a forwarded remote start/stop or reservation.'),
        forwardMs: Millis('Deadline for forwarded CDRs and notifications.'),
      },
      'Protocol deadlines of the hub, before scaling.',
    ),
    transport: StringEnum(['mtls', 'http'] as const, 'mtls as Hubject runs; http only on a developer machine.'),
    aupEnabled: Type.Boolean({ description: 'Acceptable Use Policy rate limits were enforced.' }),
    hubUrl: Type.Optional(Text('Base URL of the mock HBS.')),
  },
  'Resolved settings of the run.',
);
export type RunSettings = Static<typeof RunSettings>;
/** Settings as a run knows them; the report derives what the time scale means from `timeScale`. */
export type RunSettingsInput = Omit<RunSettings, 'representative' | 'timeScaleNote'>;

const Counts = object(
  { total: Count, passed: Count, failed: Count, skipped: Count, error: Count },
  'Number of items per outcome.',
);
export type Counts = Static<typeof Counts>;

export const VERDICTS = ['passed', 'failed', 'error'] as const;
export const Summary = object(
  {
    verdict: StringEnum(
      VERDICTS,
      'passed: every mandatory item, and every optional item of a service the partner offers (one that ran), passed; ' +
        'failed: the partner failed such an item, or left a mandatory one unchecked; error: the harness could not check such an item.',
    ),
    // Worst-of over all items, skipped optional items left out: they never count against the partner.
    outcome: Outcome,
    counts: Counts,
    mandatory: Counts,
    optional: Counts,
  },
  'Totals and the certification verdict.',
);
export type Summary = Static<typeof Summary>;
export type Verdict = Summary['verdict'];

export const QualityFigure = object(
  {
    id: StringEnum(['remoteStartResponseTime', 'cdrUploadDelay', 'evseDataCompleteness'] as const, 'Figure.'),
    title: Text('Name as Hubject quality scoring uses it.'),
    unit: StringEnum(['ms', '%'] as const, 'Unit of value, limit and bestPractice.'),
    rating: StringEnum(
      ['good', 'acceptable', 'poor', 'notMeasured'] as const,
      'good: meets the best practice (or the limit when there is none); acceptable: meets only the limit; ' +
        'poor: misses the limit; notMeasured: no sample in this run.',
    ),
    value: Type.Optional(Type.Number({ description: 'The rated figure: the worst sample for times.' })),
    median: Type.Optional(Type.Number({ description: 'Median sample, for times.' })),
    samples: Count,
    limit: Type.Optional(Type.Number({ description: 'The spec limit.' })),
    bestPractice: Type.Optional(Type.Number({ description: 'The best-practice target.' })),
    source: Text('Where limit and best practice come from.'),
    note: Type.Optional(Text('What the figure leaves out, or what to fix.')),
  },
  'A partner quality figure like those of Hubject quality scoring, measured in this run.',
);
export type QualityFigure = Static<typeof QualityFigure>;
export type QualityFigureId = QualityFigure['id'];
export type QualityRating = QualityFigure['rating'];

export const Report = object(
  {
    reportVersion: Type.Literal(REPORT_VERSION, { description: 'Version of this format.' }),
    tool: object({ name: Text('Tool name.'), version: Text('Tool version.') }, 'What produced the report.'),
    run: object(
      {
        id: Type.String({ minLength: 1, description: 'Run ID; also the folder name under reports/.' }),
        startedAt: Timestamp('Start of the run.'),
        finishedAt: Timestamp('End of the run.'),
        durationMs: Millis('Length of the run.'),
      },
      'The run.',
    ),
    partner: PartnerUnderTest,
    settings: RunSettings,
    summary: Summary,
    quality: Type.Array(QualityFigure),
    items: Type.Array(ChecklistItem),
    exchanges: Type.Array(ReportExchange, { description: 'Every exchange an item relied on, in order.' }),
    ocppFrames: Type.Optional(
      Type.Array(ReportOcppFrame, {
        minItems: 1,
        description:
          "Every OCPP frame of the run's charge points (profile ocpp:), boots included, in order; absent without OCPP.",
      }),
    ),
  },
  'hbs-simulator certification report.',
);
export type Report = Static<typeof Report>;
