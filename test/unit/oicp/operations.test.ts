import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../src/oicp/messages.js';
import { forwardTimeoutMs, OPERATION_IDS, OPERATIONS } from '../../../src/oicp/operations.js';
import { pointerTokens } from '../../../src/shared/json-pointer.js';

type SchemaNode = { properties?: Record<string, SchemaNode>; anyOf?: SchemaNode[]; oneOf?: SchemaNode[] };

/** Whether a JSON pointer names a property the schema declares, in every branch of a union (ChargingNotification). */
function declares(schema: SchemaNode | undefined, tokens: readonly string[]): boolean {
  if (!schema) return false;
  const branches = schema.oneOf ?? schema.anyOf;
  if (!schema.properties && branches) return branches.every((b) => declares(b, tokens));
  const [first, ...rest] = tokens;
  return first === undefined || declares(schema.properties?.[first], rest);
}

describe('the OICP operations table', () => {
  it('gives a deadline to every operation HBS forwards, and to no other', () => {
    for (const id of OPERATION_IDS) {
      const op = OPERATIONS[id];
      expect(op.forwardTimeout === null, id).toBe(op.forwardedTo === undefined);
    }
  });

  it('points the 017 sender-ID check at fields the request schema declares', () => {
    const pointers = OPERATION_IDS.flatMap((id) => OPERATIONS[id].senderIdPointers.map((p) => ({ id, p })));
    expect(pointers.length).toBeGreaterThan(15);
    for (const { id, p } of pointers)
      expect(declares(MESSAGES[id].request as SchemaNode, pointerTokens(p)), `${id} ${p}`).toBe(true);
  });

  it('takes each forwarded leg’s deadline from the class its operation is in', () => {
    const t = { authorizeMs: 1, remoteStartMs: 2, forwardMs: 3 };
    expect(forwardTimeoutMs('AuthorizeStart', t)).toBe(1);
    expect(forwardTimeoutMs('AuthorizeRemoteReservationStop', t)).toBe(2);
    expect(forwardTimeoutMs('ChargeDetailRecord', t)).toBe(3);
    expect(forwardTimeoutMs('ChargingNotification', t)).toBe(3);
  });
});
