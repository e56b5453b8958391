import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { fieldError, validateSource } from '../../config/diagnostics.js';
import { displayPath, type PathSegment, readSource, type SourceFile } from '../../config/source.js';
import { resolvePartner } from '../../config/world/partner.js';
import { PartnerFileSchema } from '../../config/world/schema.js';
import type { Partner } from '../../config/world/types.js';
import { matchesPattern, operatorOfEvseId, ownedIds, providerOfEvcoId } from '../../oicp/patterns.js';
import { ConfigError, type FieldError } from '../../shared/errors.js';
import { type OcppProfile, OcppProfileSchema, resolveOcpp } from './ocpp-profile.js';

/**
 * The partner profile: the system under test, described for the harness. It is a partner file (the same `id`, `role`,
 * Service Type Settings with per-operation URLs, `serverCaFile` as the hub's world uses) plus the test data
 * scenarios fill in and the triggers that make the partner act. The service types it lists are the services it
 * implements; scenarios that require others are skipped, not failed.
 * @see examples/partner-cpo.yaml, examples/partner-emp.yaml (written by `hbs-sim init`, src/app/starter-profile.ts)
 */

const Http = Type.Object(
  {
    method: Type.Optional(
      Type.Unsafe<string>({ type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'POST' }),
    ),
    url: Type.String({
      pattern: '^https?://',
      description: "The partner's own test API; {{placeholders}} are filled in.",
    }),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: 'e.g. an API key for the test API (redacted in reports).',
      }),
    ),
    body: Type.Optional(
      Type.Unknown({
        description: "JSON body; strings may use {{placeholders}}, e.g. {{evseId}}. Default: the step's `with` values.",
      }),
    ),
  },
  { additionalProperties: false, description: "Call the partner's test API." },
);

const Trigger = Type.Object(
  {
    http: Type.Optional(Http),
    prompt: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Ask the person at the terminal, e.g. "Start a charge at {{evseId}} from your app".',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'How the harness makes the partner act: an HTTP call, or a prompt (interactive runs only).',
  },
);

const TestDataSchema = Type.Object(
  {
    evseIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'CPO: its EvseIDs the scenarios may use, free and Hubject compatible.',
      }),
    ),
    uids: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'RFID card UIDs: EMP: of its customers; CPO: cards it swipes.',
      }),
    ),
    evcoIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: "EMP: its customers' contract IDs." }),
    ),
    qrCodes: Type.Optional(
      Type.Array(
        Type.Object(
          {
            evcoId: Type.String({ minLength: 1, description: 'The contract the QR code session is for.' }),
            pin: Type.String({ minLength: 1, maxLength: 20, description: 'The PIN the customer types in.' }),
          },
          { additionalProperties: false },
        ),
        {
          description:
            'EMP: contracts with a PIN its uploaded authentication data holds (hashed), for QR code authorization at HBS.',
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'Identifiers the scenarios use as {{partner.evseIds[0]}} etc.' },
);

/** The test data keys, offered to scenarios as {{partner.<key>}} besides {{partner.id}}. */
export const TEST_DATA_KEYS = Object.keys(TestDataSchema.properties) as Array<keyof Static<typeof TestDataSchema>>;

export const ProfileFileSchema = Type.Object(
  {
    ...PartnerFileSchema.properties,
    testData: Type.Optional(TestDataSchema),
    triggers: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$' }), Trigger, {
        description: 'Named triggers scenarios call.',
      }),
    ),
    ocpp: Type.Optional(OcppProfileSchema),
  },
  {
    additionalProperties: false,
    title: 'hbs-sim partner profile',
    description: 'The partner under test: who it is, where the hub reaches it, its test data and triggers.',
  },
);
export type ProfileFile = Static<typeof ProfileFileSchema>;

export interface PartnerProfile {
  file: string;
  partner: Partner;
  testData: { evseIds: string[]; uids: string[]; evcoIds: string[]; qrCodes: Array<{ evcoId: string; pin: string }> };
  triggers: NonNullable<ProfileFile['triggers']>;
  /** CPO: the CSMS and charge points the run drives over OCPP 1.6-J (station actions happen there). */
  ocpp?: OcppProfile;
}

/**
 * The partner key of a system under test, which names its certificate folder: one per ID, e.g. `under-test-deacm`.
 * Lower case, so it is also a key a world folder accepts (partners/<key>.yaml: lower-case letters, digits, dashes).
 */
export function underTestKey(id: string): string {
  return `under-test-${id.replace(/[^A-Za-z0-9]/g, '').toLowerCase()}`;
}

/** Reads and checks a profile; its key is underTestKey(id); relative paths resolve from its folder. */
export async function loadProfile(path: string): Promise<PartnerProfile> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new ConfigError(
      'CONFIG_NOT_FOUND',
      `partner profile ${displayPath(path)} not found; write one with \`npx hbs-sim init cpo\` or \`npx hbs-sim init emp\``,
      { file: displayPath(path) },
    );
  }
  const parsed = await readSource(path, 'yaml');
  if (!parsed.ok)
    throw new ConfigError('CONFIG_INVALID', `${parsed.file}: not valid YAML`, {
      file: parsed.file,
      fieldErrors: parsed.errors,
    });
  const { source } = parsed;
  const fail = (errors: FieldError[]): never => {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${source.file}: ${errors.length} problem${errors.length === 1 ? '' : 's'}`,
      { file: source.file, fieldErrors: errors },
    );
  };
  const checked = validateSource(ProfileFileSchema, source);
  if (!checked.ok) return fail(checked.errors);
  const { testData, triggers, ocpp: ocppFile, ...partnerFile } = checked.data;
  const { partner, errors } = await resolvePartner(
    underTestKey(partnerFile.id),
    partnerFile,
    source,
    dirname(resolve(path)),
  );
  errors.push(...checkTestData(partner, testData ?? {}, source), ...checkTriggers(triggers ?? {}, source));
  const ocpp = ocppFile ? await resolveOcpp(ocppFile, partner, source, dirname(resolve(path))) : undefined;
  if (ocpp) errors.push(...ocpp.errors);
  if (errors.length > 0) fail(errors);
  return {
    file: displayPath(path),
    partner,
    testData: {
      evseIds: testData?.evseIds ?? [],
      uids: testData?.uids ?? [],
      evcoIds: testData?.evcoIds ?? [],
      qrCodes: testData?.qrCodes ?? [],
    },
    triggers: triggers ?? {},
    ...(ocpp ? { ocpp: ocpp.ocpp } : {}),
  };
}

function checkTestData(partner: Partner, data: NonNullable<ProfileFile['testData']>, source: SourceFile): FieldError[] {
  const errors: FieldError[] = [];
  const own = ownedIds(partner);
  (data.evseIds ?? []).forEach((id, i) => {
    const operator = operatorOfEvseId(id);
    if (!matchesPattern('EvseID', id))
      errors.push(fieldError(source, ['testData', 'evseIds', i], `${id} is not an OICP EvseID`));
    else if (partner.role === 'CPO' && (!operator || !own.has(operator)))
      errors.push(fieldError(source, ['testData', 'evseIds', i], `${id} is not an EVSE of ${partner.id}`));
  });
  (data.uids ?? []).forEach((uid, i) => {
    if (!matchesPattern('UID', uid))
      errors.push(
        fieldError(source, ['testData', 'uids', i], `${uid} is not an OICP UID: 8, 14 or 20 upper-case hex digits`),
      );
  });
  const contract = (id: string, path: PathSegment[]): void => {
    const provider = providerOfEvcoId(id);
    if (!matchesPattern('EvcoID', id)) errors.push(fieldError(source, path, `${id} is not an OICP EvcoID`));
    else if (partner.role === 'EMP' && (!provider || !own.has(provider)))
      errors.push(fieldError(source, path, `${id} does not belong to ${partner.id}`));
  };
  for (const [i, id] of (data.evcoIds ?? []).entries()) contract(id, ['testData', 'evcoIds', i]);
  for (const [i, { evcoId }] of (data.qrCodes ?? []).entries()) contract(evcoId, ['testData', 'qrCodes', i, 'evcoId']);
  return errors;
}

function checkTriggers(triggers: NonNullable<ProfileFile['triggers']>, source: SourceFile): FieldError[] {
  return Object.entries(triggers).flatMap(([name, t]) => {
    const kinds = [t.http ? 'http' : undefined, t.prompt ? 'prompt' : undefined].filter(Boolean);
    if (kinds.length === 1) return [];
    return [
      fieldError(
        source,
        ['triggers', name],
        kinds.length === 0 ? 'a trigger needs `http` or `prompt`' : 'a trigger is either `http` or `prompt`, not both',
      ),
    ];
  });
}
