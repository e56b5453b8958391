import type { Exchange } from '../../src/shared/exchange.js';

const OPERATIONS = [
  'PushEvseStatus',
  'AuthorizeRemoteStart',
  'ChargeDetailRecord',
  'AuthorizeStart',
  'PullEvseData',
  'ChargingNotification',
  'unknown',
];

/**
 * A plausible recorded exchange, cheap to make in bulk (monitor paging tests, the 10k browser test, the monitor
 * benchmark). `i` varies every field: operation i % 7, direction out when i % 3 = 0, a 400/022 with a schema
 * violation when i % 50 = 0. No test-runner imports, so vitest, Playwright and plain node can all use it.
 */
export function syntheticExchange(i: number): Exchange {
  const operation = OPERATIONS[i % OPERATIONS.length]!;
  const inbound = i % 3 !== 0;
  const bad = i % 50 === 0;
  return {
    id: `syn${i}`,
    direction: inbound ? 'partner→hub' : 'hub→partner',
    operation,
    partnerId: i % 2 ? 'DE*CPA' : 'DE-EMA',
    sessionId:
      operation === 'PushEvseStatus' || operation === 'PullEvseData'
        ? undefined
        : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    request: {
      method: 'POST',
      url: `/api/oicp/synthetic/${i}`,
      headers: { 'content-type': 'application/json' },
      body: {
        EvseID: `DE*CPA*E${i}`,
        Identification: { RemoteIdentification: { EvcoID: 'DE-EMA-C12345678-X' } },
        n: i,
      },
    },
    response: {
      status: bad ? 400 : 200,
      headers: { 'content-type': 'application/json' },
      body: { Result: !bad, StatusCode: { Code: bad ? '022' : '000' } },
    },
    statusCode: bad ? '022' : '000',
    startedAt: new Date(Date.UTC(2026, 10, 22, 10, 0, 0) + i * 10).toISOString(),
    durationMs: (i % 97) / 3,
    violations: bad ? [{ kind: 'schema', pointer: '/EvseID', message: 'must match pattern', side: 'request' }] : [],
  };
}
