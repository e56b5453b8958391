import { describe, expect, it } from 'vitest';
import {
  ARRAY_LIMITS,
  arrayLimitBreaches,
  jsonTooDeep,
  MAX_JSON_DEPTH,
  valueTooDeep,
} from '../../../src/oicp/limits.js';
import { MESSAGES } from '../../../src/oicp/messages.js';
import type { OperationId } from '../../../src/oicp/operations.js';
import { VALID } from './fixtures/index.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON depth', () => {
  it('counts objects and arrays, the root as 1', () => {
    expect(jsonTooDeep(bytes(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(jsonTooDeep(bytes(nested(MAX_JSON_DEPTH + 1)))).toBe(true);
    expect(jsonTooDeep(bytes('{"a":{"b":[1]}}'), 3)).toBe(false);
    expect(jsonTooDeep(bytes('{"a":{"b":[{}]}}'), 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ s: '[[[[{{{{"\\"[[[[', t: 'ä[ü{' });
    expect(jsonTooDeep(bytes(text), 1)).toBe(false);
  });

  it('finds a deep value without recursion, at any depth', () => {
    const deep = JSON.parse(nested(100_000));
    expect(valueTooDeep(deep)).toBe(true);
    expect(valueTooDeep(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(false);
    expect(valueTooDeep('text')).toBe(false);
  });

  it('lets every valid OICP message through', () => {
    for (const [op, m] of Object.entries(VALID)) {
      expect(jsonTooDeep(bytes(JSON.stringify(m.request()))), op).toBe(false);
      expect(valueTooDeep(m.response()), op).toBe(false);
    }
  });
});

describe('array limits', () => {
  it('agree with the maxItems the schemas carry', () => {
    for (const [op, limits] of Object.entries(ARRAY_LIMITS) as Array<
      [OperationId, NonNullable<(typeof ARRAY_LIMITS)[OperationId]>]
    >) {
      for (const limit of limits) {
        let schema: any = MESSAGES[op].request;
        for (const name of limit.path) schema = schema.properties[name];
        const array = schema.type === 'array' ? schema : schema.anyOf.find((s: any) => s.type === 'array');
        expect(array.maxItems, `${op} /${limit.path.join('/')}`).toBe(limit.max);
      }
    }
  });

  it('name the bounded array, the count and the document', () => {
    const body = { ProviderID: 'DE-DCB', EvseID: Array.from({ length: 101 }, () => 'x') };
    expect(arrayLimitBreaches('PullEvseStatusById', body)).toEqual([
      {
        pointer: '/EvseID',
        message:
          'must have at most 100 items, got 101 (OICP 2.3 EMP 02, eRoamingPullEvseStatusById); send the EvseID list in parts of 100',
      },
    ]);
    expect(arrayLimitBreaches('PullEvseStatusById', { ...body, EvseID: body.EvseID.slice(1) })).toEqual([]);
    expect(
      arrayLimitBreaches('ChargeDetailRecord', { SignedMeteringValues: Array.from({ length: 11 }, () => ({})) }),
    ).toHaveLength(1);
    expect(arrayLimitBreaches('PullEvseStatusById', 'not an object')).toEqual([]);
  });
});
