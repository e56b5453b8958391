import { describe, expect, it } from 'vitest';
import { openSessions, sessionEnded, usesEvse } from '../../../src/harness/scenario/teardown.js';
import type { Exchange } from '../../../src/shared/exchange.js';

/**
 * What the teardown reads from an item's exchanges with the partner: the sessions and reservations it took on and did
 * not end, whether a stop was already accepted and whether it charged; and which EVSEs a scenario uses.
 */

let n = 0;
function x(
  direction: Exchange['direction'],
  operation: string,
  request: Record<string, unknown>,
  response?: Record<string, unknown>,
): Exchange {
  n += 1;
  return {
    id: `x${n}`,
    direction,
    operation,
    partnerId: 'DE*ACM',
    startedAt: '2026-12-01T10:00:00.000Z',
    durationMs: 1,
    violations: [],
    request: { method: 'POST', url: '/', headers: {}, body: request },
    ...(response ? { response: { status: 200, headers: {}, body: response } } : {}),
  };
}
const S1 = 'a1a1a1a1-0000-4000-8000-000000000001';
const S2 = 'b2b2b2b2-0000-4000-8000-000000000002';
const S3 = 'c3c3c3c3-0000-4000-8000-000000000003';
const start = (sid: string, evse: string, result: boolean | undefined) =>
  x(
    'hub→partner',
    'AuthorizeRemoteStart',
    { SessionID: sid, EvseID: evse, ProviderID: 'DE-VEM' },
    result === undefined ? undefined : { Result: result, StatusCode: { Code: result ? '000' : '602' } },
  );

describe('openSessions', () => {
  it('keeps accepted or unanswered remote starts without End or CDR; drops refused and ended ones', () => {
    const xs = [
      start(S1, 'DE*ACM*E1', true),
      x('partner→hub', 'ChargingNotification', { Type: 'Start', SessionID: S1 }),
      start(S2, 'DE*ACM*E2', false),
      start(S3, 'DE*ACM*E3', undefined),
    ];
    expect(openSessions(xs)).toEqual([
      { sessionId: S1, evseId: 'DE*ACM*E1', providerId: 'DE-VEM', kind: 'charge', stopping: false, charging: true },
      { sessionId: S3, evseId: 'DE*ACM*E3', providerId: 'DE-VEM', kind: 'charge', stopping: false, charging: false },
    ]);
    const ended = [
      ...xs,
      x('partner→hub', 'ChargingNotification', { Type: 'End', SessionID: S1.toUpperCase() }),
      x('partner→hub', 'ChargeDetailRecord', { SessionID: S3 }),
    ];
    expect(openSessions(ended)).toEqual([]);
  });

  it('notes an accepted remote stop, a reservation until its stop is accepted, and AuthorizeStart sessions', () => {
    const xs = [
      start(S1, 'DE*ACM*E1', true),
      x('hub→partner', 'AuthorizeRemoteStop', { SessionID: S1 }, { Result: true }),
      x(
        'hub→partner',
        'AuthorizeRemoteReservationStart',
        { SessionID: S2, EvseID: 'DE*ACM*E2', ProviderID: 'DE-VEM' },
        { Result: true },
      ),
      x(
        'partner→hub',
        'AuthorizeStart',
        { EvseID: 'DE*ACM*E3' },
        { AuthorizationStatus: 'Authorized', SessionID: S3, ProviderID: 'DE-VEM' },
      ),
    ];
    expect(openSessions(xs).map((s) => [s.sessionId, s.kind, s.stopping])).toEqual([
      [S1, 'charge', true],
      [S2, 'reservation', false],
      [S3, 'charge', false],
    ]);
    const cancelled = [...xs, x('hub→partner', 'AuthorizeRemoteReservationStop', { SessionID: S2 }, { Result: true })];
    expect(openSessions(cancelled).map((s) => s.sessionId)).toEqual([S1, S3]);
  });
});

describe('sessionEnded and usesEvse', () => {
  it('an End or CDR of the partner ends a session; only a CDR when asked for the CDR', () => {
    const end = [x('partner→hub', 'ChargingNotification', { Type: 'End', SessionID: S1 })];
    expect(sessionEnded(end, 'DE*ACM', S1)).toBe(true);
    expect(sessionEnded(end, 'DE*ACM', S1, 'CDR')).toBe(false);
    expect(sessionEnded(end, 'DE*XXX', S1)).toBe(false);
    expect(sessionEnded(end, 'DE*ACM', '')).toBe(false);
  });

  it('a scenario uses an EVSE it names by placeholder or literally', () => {
    const ids = ['DE*ACM*E1', 'DE*ACM*E2'];
    expect(usesEvse([{ with: { evseId: '{{partner.evseIds[1]}}' } }], 'DE*ACM*E2', ids)).toBe(true);
    expect(usesEvse([{ with: { evseId: '{{ partner.evseIds[0] }}' } }], 'DE*ACM*E2', ids)).toBe(false);
    expect(usesEvse([{ body: { EvseID: 'DE*ACM*E2' } }], 'DE*ACM*E2', ids)).toBe(true);
    expect(usesEvse([{ trigger: 'pushEvseData' }], 'DE*ACM*E1', ids)).toBe(false);
  });
});
