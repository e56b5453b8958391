import {
  type IntegerOptions,
  type Static,
  type StringOptions,
  type TSchema,
  type TString,
  type TUnsafe,
  Type,
} from '@sinclair/typebox';
import { OPERATION_IDS, type OperationId, SERVICE_TYPES } from '../../oicp/operations.js';
import type { HubSettings } from './types.js';

/**
 * Schemas of the files under simulator/. The loader validates with them (ajv) and src/config/world/write-schemas.ts emits
 * them as JSON Schema for editors, so both see the same rules. Descriptions are what the editor shows on hover.
 * @see simulator/README.md
 */

/** The only file format version this code reads; each file carries `version: 1`. */
export const FORMAT_VERSION = 1;

/**
 * Hub settings used where world.yaml is silent.
 * @see simulator/README.md (the source of each timeout); Hubject Acceptable Use Policy v1.0 (call limits)
 */
export const HUB_DEFAULTS: Readonly<HubSettings> = Object.freeze({
  // Loopback only: the simulator is a developer tool and must not be reachable from the network by accident.
  host: '127.0.0.1',
  port: 8443,
  basePath: '/api/oicp',
  transport: 'mtls',
  timeouts: Object.freeze({ authorizeMs: 10_000, remoteStartMs: 60_000, forwardMs: 30_000 }),
  // 50 real ms: a push at Hubject takes far longer, but a longer one would keep a sequential 400-push storm under
  // the AUP's 375 PushEvseData a minute; 50 ms is already well above the spread of pushes sent at once.
  aup: Object.freeze({ enabled: true, perMinute: Object.freeze({}), pushProcessingMs: 50 }),
  bodyLimitBytes: 4 * 1024 * 1024,
  certsDir: 'certs',
  // What the monitor and reports can show; the transcript keeps everything. 32 MiB of JSON is some 40,000 forwarded
  // exchanges (about 50 MiB of heap) or 20 full 2000-record PullEvseData pages; 128 MiB cost some 180 MiB of RSS
  // more in test/bench/memory.ts (README "Performance" has what that bench measures).
  recorder: Object.freeze({ maxExchanges: 100_000, maxMiB: 32 }),
  // Left to itself V8 lets the old generation grow to about four times the live heap between full collections when
  // the heap limit is large: a busy serve's RSS swung up to 955 MiB with 180 MiB live (test/bench/memory.ts). 35 %
  // kept its peak at 372 MiB for some 10-20 % more CPU per forwarded request; README "Memory of a long-running hub".
  heapGrowthPercent: 35,
});

/** The most `hub.heapGrowthPercent` takes: 400 % lets the heap grow to five times what is live, past V8's own 4×. */
export const MAX_HEAP_GROWTH_PERCENT = 400;

/** Hubject portal defaults for a Service Type Setting. @see Hubject support article "Service Type Settings (CPO)" */
export const SERVICE_TYPE_DEFAULTS = Object.freeze({
  onlineRequest: false,
  broadcast: false,
  clientCertification: true,
});

/** A string enum as `{type:'string', enum}` rather than TypeBox's anyOf of literals, so ajv reports one error. */
function StringEnum<T extends string>(values: readonly T[], description: string): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], description });
}

/** An object whose only allowed keys are `keys`, each optional: typos in a key are errors, not silent no-ops. */
function KeyedObject<K extends string, V extends TSchema>(
  keys: readonly K[],
  value: (key: K) => V,
  description: string,
): TUnsafe<Partial<Record<K, Static<V>>>> {
  const properties = Object.fromEntries(keys.map((k) => [k, value(k)]));
  return Type.Unsafe<Partial<Record<K, Static<V>>>>({
    type: 'object',
    properties,
    additionalProperties: false,
    description,
  });
}

const Version = Type.Literal(FORMAT_VERSION, { description: 'File format version; must be 1.' });

// Short constructors for the many optional fields; `description` is what an editor shows on hover.
const optBoolean = (def: boolean, description: string) => Type.Optional(Type.Boolean({ default: def, description }));
const optString = (description: string, options: StringOptions = {}) =>
  Type.Optional(Type.String({ minLength: 1, ...options, description }));
const optInteger = (description: string, options: IntegerOptions) =>
  Type.Optional(Type.Integer({ ...options, description }));
const optTimeout = (def: number, description: string) =>
  optInteger(`${description} Milliseconds; default ${def}.`, { exclusiveMinimum: 0, default: def });

const Timeouts = Type.Object(
  {
    authorizeMs: optTimeout(
      HUB_DEFAULTS.timeouts.authorizeMs,
      'How long the hub waits for an EMP to answer a forwarded AuthorizeStart/Stop ' +
        '(Hubject support article "Implementation of web services": 10 s).',
    ),
    remoteStartMs: optTimeout(
      HUB_DEFAULTS.timeouts.remoteStartMs,
      'How long the hub waits for a CPO to answer a forwarded AuthorizeRemoteStart/Stop or reservation ' +
        '(Hubject integration guide: 60 s; Hubject support article "Implementation of web services": 40 s).',
    ),
    forwardMs: optTimeout(
      HUB_DEFAULTS.timeouts.forwardMs,
      'How long the hub waits on other forwarded calls (CDR, notifications); HBS does not publish its limit.',
    ),
  },
  { additionalProperties: false, description: 'Time limits of the hub-to-partner legs.' },
);

const Aup = Type.Object(
  {
    enabled: optBoolean(true, 'Answer HTTP 429 above the Acceptable Use Policy per-minute limits.'),
    perMinute: Type.Optional(
      KeyedObject(
        OPERATION_IDS,
        (id: OperationId) => Type.Integer({ minimum: 1, description: `Calls per minute allowed for ${id}.` }),
        'Per-operation overrides of the AUP limits (calls per minute).',
      ),
    ),
    pushProcessingMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10_000,
        default: 50,
        description:
          'Real milliseconds HBS takes to process a push before answering (not scaled by the time scale); pushes of one operation sent at once overlap within it and break the AUP\'s "sequential" rule.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Hubject Acceptable Use Policy rate limits.' },
);

const Hub = Type.Object(
  {
    host: optString('Interface the hub listens on.', { default: HUB_DEFAULTS.host }),
    port: optInteger('TCP port; 0 picks a free one.', { minimum: 0, maximum: 65535, default: HUB_DEFAULTS.port }),
    basePath: optString('Path prefix of every OICP route, starting with / (HBS serves them under /api/oicp).', {
      pattern: String.raw`^/[^\s?#]*$`,
      default: HUB_DEFAULTS.basePath,
    }),
    transport: Type.Optional(
      Type.Unsafe<'mtls' | 'http'>({
        type: 'string',
        enum: ['mtls', 'http'],
        default: HUB_DEFAULTS.transport,
        description: 'mtls as Hubject runs it; http only for partners without TLS on a developer machine.',
      }),
    ),
    timeouts: Type.Optional(Timeouts),
    aup: Type.Optional(Aup),
    bodyLimitBytes: optInteger('Largest request body accepted, in bytes; larger ones get 413.', {
      minimum: 1,
      default: HUB_DEFAULTS.bodyLimitBytes,
    }),
    certsDir: optString('Certificate folder, relative to the working directory.', { default: HUB_DEFAULTS.certsDir }),
    transcriptPath: optString('Write every exchange as JSON lines to this file.'),
    recorder: Type.Optional(
      Type.Object(
        {
          maxExchanges: optInteger('Most exchanges kept in memory for the monitor and reports.', {
            minimum: 1,
            default: HUB_DEFAULTS.recorder.maxExchanges,
          }),
          maxMiB: optInteger('Most MiB of exchanges (measured as JSON) kept in memory.', {
            minimum: 1,
            default: HUB_DEFAULTS.recorder.maxMiB,
          }),
        },
        {
          additionalProperties: false,
          description: 'What the recorder keeps in memory; the oldest exchanges go first (the transcript keeps all).',
        },
      ),
    ),
    heapGrowthPercent: optInteger(
      'How far the JavaScript heap may grow past what is live between full collections, in percent; 0 leaves it to V8.',
      { minimum: 0, maximum: MAX_HEAP_GROWTH_PERCENT, default: HUB_DEFAULTS.heapGrowthPercent },
    ),
    serverNames: Type.Optional(
      Type.Array(
        Type.String({
          minLength: 1,
          maxLength: 253,
          pattern: String.raw`^[A-Za-z0-9.:-]+$`,
          description: 'A DNS name or an IP address (IPv6 without brackets).',
        }),
        {
          maxItems: 32,
          uniqueItems: true,
          description:
            "Extra DNS names and IP addresses for the hub's server certificate besides localhost, 127.0.0.1 and ::1, e.g. a CI service name or this machine's address. OICP_SIM_HUB_NAMES and --hub-name replace this list.",
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'Settings of the simulated HBS itself.' },
);

const PartnerRef = (side: string): TString =>
  Type.String({ minLength: 1, description: `The ${side}: a partner key (file name under partners/) or its OICP ID.` });

const Contract = Type.Object(
  {
    cpo: PartnerRef('offering CPO'),
    emp: PartnerRef('subscribing EMP'),
    services: Type.Union(
      [
        Type.Literal('all', { description: 'Every service type.' }),
        Type.Array(StringEnum(SERVICE_TYPES, 'A Hubject service type.'), { minItems: 1, uniqueItems: true }),
      ],
      { description: 'Service types the contract covers, or `all`.' },
    ),
  },
  { additionalProperties: false, description: 'The CPO offers and the EMP subscribes, per service type.' },
);

/** simulator/world.yaml */
export const WorldFileSchema = Type.Object(
  {
    version: Version,
    hub: Type.Optional(Hub),
    contracts: Type.Optional(Type.Array(Contract, { description: 'Who may exchange which services with whom.' })),
  },
  {
    additionalProperties: false,
    title: 'hbs-sim world',
    description: 'simulator/world.yaml: hub settings and contracts.',
  },
);
export type WorldFile = Static<typeof WorldFileSchema>;

const ServiceTypeSetting = Type.Object(
  {
    onlineRequest: optBoolean(
      SERVICE_TYPE_DEFAULTS.onlineRequest,
      'Portal "Online Request": the hub may call this partner for this service type. ' +
        'Must be on before serviceUrl or broadcast.',
    ),
    broadcast: optBoolean(
      SERVICE_TYPE_DEFAULTS.broadcast,
      'Portal "Broadcast Request" (EMP, authorization): receive AuthorizeStart for media the hub cannot route.',
    ),
    serviceUrl: optString('Portal "Service URL": base URL; the operation\'s OICP path is appended.'),
    operationUrls: Type.Optional(
      KeyedObject(
        OPERATION_IDS,
        (id: OperationId) =>
          Type.String({ minLength: 1, description: `Full URL for ${id}; {operatorID}/{providerID} are filled in.` }),
        'Full URL per operation, used as given (query strings allowed); wins over serviceUrl.',
      ),
    ),
    clientCertification: optBoolean(
      SERVICE_TYPE_DEFAULTS.clientCertification,
      'Portal "Client Certification": the hub presents its client certificate.',
    ),
  },
  {
    additionalProperties: false,
    description:
      'Hubject portal Service Type Settings (Hubject support articles "Service Type Settings (CPO)" and "(EMP)").',
  },
);

/** simulator/partners/<key>.yaml */
export const PartnerFileSchema = Type.Object(
  {
    version: Version,
    id: Type.String({
      minLength: 1,
      description:
        'OperatorID (CPO, e.g. DE*ABC) or ProviderID (EMP, e.g. DE-ABC); also the CN of its client certificate.',
    }),
    role: StringEnum(['CPO', 'EMP'] as const, 'CPO (charge point operator) or EMP (e-mobility provider).'),
    name: Type.String({ minLength: 1, description: 'Display name.' }),
    locked: optBoolean(false, 'A locked partner is refused with 017 and skipped when forwarding.'),
    subPartnerIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        uniqueItems: true,
        description: 'Sub-operator/sub-provider IDs whose EvseIDs/EvcoIDs this partner may push.',
      }),
    ),
    serverCaFile: optString(
      "PEM of the CA that signed this partner's server certificate, relative to the world folder.",
    ),
    clientCaFile: optString(
      "PEM of the partner's own CA whose client certificates the hub accepts besides certs/ca.crt's, for this partner's ID only; relative to the world folder (a profile: to the profile).",
    ),
    serviceTypes: Type.Optional(
      KeyedObject(SERVICE_TYPES, () => ServiceTypeSetting, 'Service Type Settings per Hubject service type.'),
    ),
  },
  {
    additionalProperties: false,
    title: 'hbs-sim partner',
    description: 'simulator/partners/<key>.yaml: one CPO or EMP the hub knows.',
  },
);
export type PartnerFile = Static<typeof PartnerFileSchema>;
export type ServiceTypeSettingFile = Static<typeof ServiceTypeSetting>;

/** simulator/evse/<cpo key>.json; the records themselves are checked by the hub's OICP schemas, not here. */
export const EvseFileSchema = Type.Object(
  {
    version: Version,
    EvseDataRecord: Type.Array(Type.Object({ EvseID: Type.String({ minLength: 1 }) }, { additionalProperties: true }), {
      description: 'OICP EvseDataRecord objects the hub already holds for this CPO.',
    }),
  },
  { additionalProperties: false },
);
export type EvseFile = Static<typeof EvseFileSchema>;
