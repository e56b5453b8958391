/**
 * Building blocks shared by every OICP 2.3 message: nullable optionals, string enums, identifiers, timestamps,
 * StatusCode, the acknowledgement, and geo coordinates. Every message schema is built from these, so each rule
 * (patterns, real string lengths, HBS-style nulls) is written once.
 * @see OICP 2.3 CPO and EMP OpenAPI, src/schemas/*.yaml (where a block departs from them, its comment says why)
 */
import { type SchemaOptions, type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { PATTERNS, type PatternName } from '../patterns.js';
import { ACTION_TYPES } from './enums.js';

/**
 * Annotation naming a cross-field rule (an `anyOf`/`oneOf` over which members are non-null) so the validator can
 * replace ajv's branch-by-branch noise with one sentence. Registered with ajv as an annotation-only keyword.
 */
export const RULE_KEYWORD = 'x-oicp-rule';
export type RuleName = 'exactlyOneIdentification' | 'geoCoordinatesFormat' | 'progressAmount' | 'periodsSpelling';

/**
 * Optional field that also accepts JSON `null`: HBS sends explicit nulls for absent optional fields, as the answers
 * in Hubject's OICP 2.3 integration guide (github.com/FirasHubject/OICP23_Integration_Guide) show; no OpenAPI schema declares `nullable`.
 */
export const Opt = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

/** Required field that may still be `null` (legacy values HBS nulls out in pulls). @see OICP 2.3 Release Notes */
export const OrNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A string enum as one `enum` keyword (not anyOf of consts), so violations list values. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/**
 * String lengths the OpenAPI writes as maximum/minimum (which JSON Schema ignores on strings), as real
 * maxLength/minLength. @see OICP 2.3 CPO OpenAPI, e.g. schema StatusCode (Description maximum: 200)
 */
export const Text = (maxLength: number, minLength?: number) =>
  Type.String(minLength === undefined ? { maxLength } : { minLength, maxLength });

/** `title` names the identifier in violation messages; `examples` shows a conforming value. */
const id = (pattern: PatternName, title: string, example: string) =>
  Type.String({ pattern: PATTERNS[pattern], title, examples: [example] });

export const EvseID = id('EvseID', 'EvseID', 'DE*AB7*E840*6487');
export const EvcoID = id('EvcoID', 'EvcoID', 'DE-8EO-CAET5E4XY-3');
export const OperatorID = id('OperatorID', 'OperatorID', 'DE*A36');
export const ProviderID = id('ProviderID', 'ProviderID', 'DE-8EO');
/**
 * Pricing ProviderID where `*` offers to every EMP; the official pattern is mis-anchored (`^…|\*$`).
 * @see OICP 2.3 CPO OpenAPI, schema ProviderIDAsterisk
 */
export const ProviderIDAsterisk = id('ProviderIDAsterisk', 'ProviderID (or *)', '*');
export const SessionID = id('SessionID', 'SessionID', 'b2688855-7f00-0002-6d8e-48d883f6abb6');
export const UID = id('UID', 'UID', '1234ABCD');
export const ChargingPoolID = id('ChargingPoolID', 'ChargingPoolID', 'DE*ABC*P1234');
export const HotlinePhoneNumber = id('HotlinePhoneNumber', 'HotlinePhoneNumber', '+4930123456');
export const PartnerSessionID = Text(250);
/** ProductID: standard values `Standard Price`, `AC1`, `AC3`, `DC`, or any partner string up to 50 characters. */
export const ProductID = Text(50);
/** ISO 4217 alphabetic code; the OA leaves it a free string. */
export const CurrencyID = Type.String({ pattern: '^[A-Z]{3}$', title: 'CurrencyID (ISO 4217)', examples: ['EUR'] });
/** ISO 3166-1 alpha-3, unlike the alpha-2 prefix of EvseIDs. */
export const CountryCode = Type.String({ minLength: 3, maxLength: 3, title: 'CountryCode (ISO 3166-1 alpha-3)' });

/**
 * RFC 3339 with a mandatory offset (ajv-formats rejects `2024-01-01T10:00:00`).
 * @see OICP 2.3 CPO, 01 Communication Paradigms, Time zones
 */
export const DateTime = Type.String({ format: 'date-time' });

/** How a push applies: fullLoad replaces everything, insert/update abort on conflict, delete removes. */
export const ActionType = StringEnum(ACTION_TYPES);
export type ActionType = Static<typeof ActionType>;

/** Code is a 3-digit string with leading zeros. @see OICP 2.3 CPO OpenAPI, schema StatusCode */
export const StatusCode = Type.Object({
  Code: Type.String({ pattern: '^[0-9]{3}$', title: 'StatusCode.Code (three digits, e.g. "000")', examples: ['000'] }),
  Description: Opt(Text(200)),
  AdditionalInfo: Opt(Text(1000)),
});
export type StatusCode = Static<typeof StatusCode>;

/** The session-correlation fields most messages carry. */
export const sessionFields = {
  SessionID: Opt(SessionID),
  CPOPartnerSessionID: Opt(PartnerSessionID),
  EMPPartnerSessionID: Opt(PartnerSessionID),
};

/**
 * eRoamingAcknowledgement. `Result=false` means received but not performed.
 * @see OICP 2.3 CPO OpenAPI, schema eRoamingAcknowledgment
 */
export const Acknowledgement = Type.Object({
  Result: Type.Boolean(),
  StatusCode,
  ...sessionFields,
});
export type Acknowledgement = Static<typeof Acknowledgement>;

/** InfoText: a language-tagged text (ChargingStationNames, AdditionalInfo, …). */
export const InfoText = Type.Object({
  lang: Type.String({ pattern: PATTERNS.InfoTextLang, title: 'language tag', examples: ['de-DE'] }),
  value: Text(150),
});

const DecimalDegree = Type.String({
  pattern: PATTERNS.DecimalDegree,
  title: 'decimal degree',
  examples: ['52.480495'],
});
const Dms = Type.String({
  pattern: PATTERNS.DegreeMinuteSeconds,
  title: 'degree-minute-seconds',
  examples: ["9°21'39.32''"],
});

/**
 * `anyOf`/`oneOf` branch that holds when `name` is present and an object, not null: how "exactly one medium"
 * (OICP 2.3 CPO, 03 Data Types, IdentificationType) is written, since the OpenAPI does not check it.
 */
export const nonNullObject = (name: string) => ({ required: [name], properties: { [name]: { type: 'object' } } });

/**
 * Coordinates are strings in one of three notations. At least one notation must be given; the official examples
 * send all three at once, which the schemas allow.
 */
export const GeoCoordinates = Type.Object(
  {
    Google: Opt(
      Type.Object({
        Coordinates: Type.String({
          pattern: PATTERNS.GoogleCoordinates,
          title: 'Google coordinates ("lat lon")',
          examples: ['52.480495 13.356465'],
        }),
      }),
    ),
    DecimalDegree: Opt(Type.Object({ Longitude: DecimalDegree, Latitude: DecimalDegree })),
    DegreeMinuteSeconds: Opt(Type.Object({ Longitude: Dms, Latitude: Dms })),
  },
  {
    anyOf: ['Google', 'DecimalDegree', 'DegreeMinuteSeconds'].map(nonNullObject),
    [RULE_KEYWORD]: 'geoCoordinatesFormat' satisfies RuleName,
  },
);
export type GeoCoordinates = Static<typeof GeoCoordinates>;

/** Search filter of the EVSE data and status pulls; Radius in km. */
export const SearchCenter = Type.Object({ GeoCoordinates, Radius: Type.Number() });

/** A time of day for opening/availability periods; the pattern of OpenAPI schema OpeningTimes is unanchored. */
const HourMinute = Type.String({ pattern: PATTERNS.Period, title: 'hh:mm', examples: ['09:00'] });
export const Period = Type.Object({ begin: HourMinute, end: HourMinute });

/** `{ meterValues: [kWh, …] }` with the lower-case key of the spec. */
export const MeterValueInBetween = Type.Object({ meterValues: Opt(Type.Array(Type.Number())) });
