import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ChargeDetailRecord,
  type ChargeDetailRecordsPage,
  type ChargingNotification,
  type EvseDataRecordPulled,
  MESSAGES,
  type PageOf,
  type RequestOf,
  type ResponseOf,
} from '../../../src/oicp/messages.js';
import { OPERATION_IDS } from '../../../src/oicp/operations.js';
import { RULE_KEYWORD } from '../../../src/oicp/schemas/common.js';
import { validateMessage } from '../../../src/oicp/validate.js';
import { VALID } from './fixtures/index.js';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every sub-schema with its JSON pointer inside the schema. */
function* subSchemas(schema: unknown, path = '#'): Generator<[string, Node]> {
  if (Array.isArray(schema)) {
    for (const [i, s] of schema.entries()) yield* subSchemas(s, `${path}/${i}`);
    return;
  }
  if (!isNode(schema)) return;
  yield [path, schema];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'enum' || key === 'examples' || key === 'required') continue;
    yield* subSchemas(value, `${path}/${key}`);
  }
}

const allSchemas = OPERATION_IDS.flatMap((op) => [
  [`${op} request`, MESSAGES[op].request] as const,
  [`${op} response`, MESSAGES[op].response] as const,
]);

describe('MESSAGES', () => {
  it('has a request and a response schema for every OperationId', () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...OPERATION_IDS].sort());
    for (const op of OPERATION_IDS) {
      expect(MESSAGES[op].request, op).toMatchObject({ type: 'object' });
      expect(MESSAGES[op].response, op).toMatchObject({ type: 'object' });
    }
  });

  it.each(OPERATION_IDS)('accepts the valid %s request and response fixtures without any violation', (op) => {
    expect(validateMessage(op, 'request', VALID[op].request())).toEqual([]);
    expect(validateMessage(op, 'response', VALID[op].response())).toEqual([]);
  });

  it.each(allSchemas)('%s never forbids additional properties (unknown ones are warned about instead)', (_, schema) => {
    for (const [path, node] of subSchemas(schema)) expect(node['additionalProperties'], path).toBeUndefined();
  });

  it.each(allSchemas)('%s writes string lengths as maxLength/minLength, never maximum/minimum', (_, schema) => {
    for (const [path, node] of subSchemas(schema)) {
      if (node['type'] !== 'string') continue;
      expect(node['maximum'], path).toBeUndefined();
      expect(node['minimum'], path).toBeUndefined();
    }
  });

  it('chooses the ChargingNotification branch by Type instead of an ambiguous oneOf', () => {
    const schema: unknown = MESSAGES.ChargingNotification.request;
    expect(schema).toMatchObject({ discriminator: { propertyName: 'Type' } });
    const branches = isNode(schema) && Array.isArray(schema['oneOf']) ? schema['oneOf'] : [];
    const tags = branches.map((b: unknown) => {
      const tag = isNode(b) && isNode(b['properties']) ? b['properties']['Type'] : undefined;
      return isNode(tag) ? tag['const'] : undefined;
    });
    expect(tags).toEqual(['Start', 'Progress', 'End', 'Error']);
  });

  it('survives a JSON round trip and compiles in a fresh ajv, so it can be written out as .json files', () => {
    const ajv = new Ajv({ strict: true, unicodeRegExp: false, discriminator: true });
    addFormatsModule.default(ajv);
    ajv.addKeyword({ keyword: RULE_KEYWORD, schemaType: 'string' });
    for (const [name, schema] of allSchemas) {
      const validate = ajv.compile(JSON.parse(JSON.stringify(schema)) as object);
      const [op, side] = name.split(' ') as [keyof typeof VALID, 'request' | 'response'];
      expect(validate(VALID[op][side]()), name).toBe(true);
    }
  });
});

describe('message types', () => {
  it('derives the TypeScript types from the same definitions', () => {
    expectTypeOf<RequestOf<'PullEvseStatusById'>['EvseID']>().toEqualTypeOf<string[]>();
    expectTypeOf<RequestOf<'PullEvseStatusByOperatorId'>['OperatorID']>().toEqualTypeOf<string[]>();
    expectTypeOf<RequestOf<'ChargingNotification'>>().toEqualTypeOf<ChargingNotification>();
    expectTypeOf<ResponseOf<'AuthorizeStart'>['AuthorizationStatus']>().toEqualTypeOf<'Authorized' | 'NotAuthorized'>();
    expectTypeOf<ResponseOf<'PushEvseData'>['StatusCode']['Code']>().toEqualTypeOf<string>();
    expectTypeOf<RequestOf<'AuthorizeStart'>['CPOPartnerSessionID']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<
      RequestOf<'PushEvseData'>['OperatorEvseData']['EvseDataRecord'][number]['DynamicInfoAvailable']
    >().toEqualTypeOf<'true' | 'false' | 'auto'>();
    expectTypeOf<PageOf<typeof ChargeDetailRecord>>().toEqualTypeOf<ChargeDetailRecordsPage>();
    expectTypeOf<EvseDataRecordPulled['Accessibility']>().toEqualTypeOf<
      'Free publicly accessible' | 'Restricted access' | 'Paying publicly accessible' | 'Test Station' | null
    >();
  });
});
