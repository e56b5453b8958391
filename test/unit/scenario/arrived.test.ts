import { describe, expect, it } from 'vitest';
import { whatArrived } from '../../../src/harness/scenario/arrived.js';
import type { Exchange } from '../../../src/shared/exchange.js';

/**
 * What an await that timed out reports as the partner's doing: the text a partner developer acts on, so it must
 * name what they sent and what HBS answered, not "none arrived".
 */

const SID = 'b2688855-7f00-0002-6d8e-48d883f6abb6';
const sent = (body: unknown, status: number, answer: unknown): Exchange => ({
  id: 'x00007',
  direction: 'partner→hub',
  operation: 'ChargeDetailRecord',
  partnerId: 'DE*ACM',
  request: { method: 'POST', url: '/cdr', headers: {}, body },
  response: { status, headers: {}, body: answer },
  startedAt: '2026-11-22T10:00:00.000Z',
  durationMs: 5,
  violations: [],
});

describe('what arrived instead of the awaited request', () => {
  it('says "none arrived" only when nothing of the operation came', () => {
    expect(whatArrived('ChargeDetailRecord', [], [], true)).toBe('none arrived');
  });

  it('names a request HBS refused, with its SessionID and the StatusCode HBS answered', () => {
    const refused = sent({ SessionID: SID }, 200, {
      Result: false,
      StatusCode: { Code: '400', AdditionalInfo: `SessionID ${SID} is unknown to HBS` },
    });
    expect(whatArrived('ChargeDetailRecord', [refused], ['/SessionID'], true)).toBe(
      `a ChargeDetailRecord arrived with SessionID ${SID}, which HBS refused (StatusCode 400: SessionID ${SID} is unknown to HBS)`,
    );
  });

  it('names the HTTP status of a request HBS refused before reading it', () => {
    const refused = sent({ SessionID: SID }, 400, { StatusCode: { Code: '004', Description: 'invalid request' } });
    expect(whatArrived('ChargeDetailRecord', [refused, refused], [], true)).toBe(
      `a ChargeDetailRecord arrived with SessionID ${SID}, which HBS refused (HTTP 400, StatusCode 004: invalid request) (and 1 more ChargeDetailRecord HBS refused)`,
    );
  });

  it('names the fields of an accepted request that did not match', () => {
    const other = sent({ SessionID: SID, Type: 'End' }, 200, { Result: true, StatusCode: { Code: '000' } });
    expect(whatArrived('ChargingNotification', [other], ['/Type'], true)).toBe(
      `a ChargingNotification arrived but did not match: the last with SessionID ${SID}, Type End`,
    );
  });

  it('never calls a leg HBS forwarded to the partner refused by HBS', () => {
    const leg = { ...sent({ SessionID: SID }, 500, 'oops'), direction: 'hub→partner' as const };
    expect(whatArrived('ChargeDetailRecord', [leg], [], false)).toMatch(
      /^a ChargeDetailRecord arrived but did not match/,
    );
  });
});
