import { describe, expect, it } from 'vitest';
import { answerCodeProblem, classify, judgeViolations } from '../../../src/harness/scenario/violations.js';
import type { Exchange, Violation, ViolationRule } from '../../../src/shared/exchange.js';

/**
 * What HBS recorded against the partner, judged by the spec: a MUST fails the item naming where it is written, a
 * SHOULD is a warning; the partner's answers carry an OICP 2.3 StatusCode that fits them. Each both ways.
 */

let seq = 0;
function exchange(over: Partial<Exchange> & { responseBody?: unknown; violations?: Violation[] }): Exchange {
  const { responseBody, ...rest } = over;
  seq += 1;
  return {
    id: `x${String(seq).padStart(5, '0')}`,
    direction: 'partner→hub',
    operation: 'PullEvseData',
    partnerId: 'DE-REM',
    request: {
      method: 'POST',
      url: '/api/oicp/evsepull/v23/providers/DE-REM/data-records?page=0&size=5000',
      headers: {},
      body: {},
    },
    response: { status: 200, headers: {}, body: responseBody ?? { StatusCode: { Code: '000' } } },
    startedAt: '2026-11-22T10:40:00.000Z',
    durationMs: 3,
    violations: [],
    ...rest,
  };
}
const v = (
  kind: Violation['kind'],
  message: string,
  side: Violation['side'] = 'request',
  pointer = '',
  rule?: ViolationRule,
): Violation => ({ kind, message, side, pointer, ...(rule ? { rule } : {}) });

describe("violations HBS recorded on the partner's messages", () => {
  it('a page size over 2000 fails the item, naming the spec (it passed EMP-01 before, only in the transcript)', () => {
    const x = exchange({
      violations: [
        v('protocol', "size=5000 is over HBS's maximum page size; served 2000 per page", 'request', '', 'page-size'),
      ],
    });
    const { checks, warnings } = judgeViolations([x]);
    expect(warnings).toEqual([]);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({
      id: 'violation:page-size',
      outcome: 'failed',
      exchangeId: x.id,
      actual: expect.stringContaining('size=5000'),
    });
    expect(checks[0]!.specRef).toMatch(
      /OICP 2\.3 EMP OpenAPI eRoamingGetChargeDetailRecords_V2\.2 \(at most 2000 records a page\)/,
    );
  });

  it('a partner whose messages HBS recorded nothing against gets neither a check nor a warning', () => {
    expect(
      judgeViolations([
        exchange({}),
        exchange({
          direction: 'hub→partner',
          operation: 'AuthorizeStart',
          responseBody: { AuthorizationStatus: 'Authorized', StatusCode: { Code: '000' } },
        }),
      ]),
    ).toEqual({ checks: [], warnings: [] });
  });

  it('parallel pushes and schema errors are MUSTs; unknown properties, Progress sooner than 5 min and a SessionID filled by the EMP are warnings', () => {
    expect(
      classify(
        v(
          'aup',
          'PushEvseData sent while a previous PushEvseData from DE*ACM was still unanswered; pushes must be sequential',
          'request',
          '',
          'pushes-sequential',
        ),
      ),
    ).toMatchObject({
      level: 'MUST',
      rule: 'pushes-sequential',
      specRef: expect.stringContaining('MUST always be processed sequentially'),
    });
    expect(classify(v('schema', '/EvseID: must match pattern'))).toMatchObject({ level: 'MUST', rule: 'schema' });
    expect(classify(v('unknown-property', 'unknown property Colour'))).toMatchObject({ level: 'SHOULD' });
    expect(
      classify(v('protocol', 'Progress 60 s after the previous one', 'request', '/EventOccurred', 'progress-interval')),
    ).toMatchObject({
      level: 'SHOULD',
      rule: 'progress-interval',
      specRef: expect.stringContaining('should be at least 5 minutes'),
    });
    expect(
      classify(v('protocol', 'the EMP should not fill SessionID', 'request', '/SessionID', 'session-id-by-hbs')),
    ).toMatchObject({ level: 'SHOULD' });
    expect(classify(v('aup', 'over the AUP limit of 1 PushEvseData/min'))).toMatchObject({
      level: 'MUST',
      rule: 'within-aup',
    });
    expect(classify(v('protocol', 'Content-Type must be application/json, got "text/plain"'))).toMatchObject({
      level: 'MUST',
      rule: 'protocol',
    });
  });

  it('judges by the rule the finder named, never by the wording of the message', () => {
    // A SHOULD reworded to read like a MUST stays a SHOULD, and a rule-less protocol note that happens to mention a
    // page size is the general protocol rule, not page-size.
    expect(classify(v('protocol', 'pushes must be sequential', 'request', '', 'progress-interval'))).toMatchObject({
      level: 'SHOULD',
      rule: 'progress-interval',
    });
    expect(classify(v('protocol', "size=5000 is over HBS's maximum page size"))).toMatchObject({ rule: 'protocol' });
  });

  it('a SHOULD is a warning with its spec, exchange and field; the item gets no failed check for it', () => {
    const x = exchange({
      operation: 'ChargingNotification',
      violations: [
        v(
          'protocol',
          'Progress 60 s after the previous one; OICP asks for at least 5 min',
          'request',
          '/EventOccurred',
          'progress-interval',
        ),
      ],
    });
    const { checks, warnings } = judgeViolations([x]);
    expect(checks).toEqual([]);
    expect(warnings).toEqual([
      {
        message: 'ChargingNotification: Progress 60 s after the previous one; OICP asks for at least 5 min',
        specRef: expect.stringContaining('eRoamingChargingNotifications_V1.1'),
        exchangeId: x.id,
        pointer: '/EventOccurred',
        side: 'request',
      },
    ]);
  });

  it("only the partner's own messages count: not HBS's answer to it, not HBS's request to it", () => {
    const hubAnswer = exchange({ violations: [v('schema', 'hub answer: /content: must be array', 'response')] });
    const hubRequest = exchange({
      direction: 'hub→partner',
      operation: 'AuthorizeRemoteStart',
      violations: [v('schema', '/SessionID: must match', 'request')],
    });
    expect(judgeViolations([hubAnswer, hubRequest])).toEqual({ checks: [], warnings: [] });
    const partnerAnswer = exchange({
      direction: 'hub→partner',
      operation: 'AuthorizeRemoteStart',
      responseBody: { Result: true, StatusCode: { Code: '000' } },
      violations: [v('schema', '/Result: must be boolean', 'response')],
    });
    expect(judgeViolations([partnerAnswer]).checks).toMatchObject([
      { id: 'violation:schema', outcome: 'failed', side: 'response' },
    ]);
  });
});

describe("StatusCode of the partner's answers", () => {
  const answer = (operation: string, body: unknown) =>
    exchange({ direction: 'hub→partner', operation, responseBody: body });

  it('NotAuthorized with 201, which OICP 2.3 does not define, fails (it passed EMP-09 before)', () => {
    const x = answer('AuthorizeStart', { AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '201' } });
    const { checks } = judgeViolations([x]);
    expect(checks).toMatchObject([
      {
        id: 'violation:status-code',
        outcome: 'failed',
        exchangeId: x.id,
        pointer: '/StatusCode/Code',
        side: 'response',
        actual: '"201" is no OICP 2.3 status code',
      },
    ]);
    expect(checks[0]!.specRef).toMatch(/StatusCodeType/);
  });

  it('NotAuthorized with 102, Authorized with 000, Result false with 603, Result true with 000 pass', () => {
    for (const [op, body] of [
      ['AuthorizeStart', { AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '102' } }],
      ['AuthorizeStart', { AuthorizationStatus: 'Authorized', StatusCode: { Code: '000' } }],
      ['AuthorizeRemoteStart', { Result: false, StatusCode: { Code: '603' } }],
      ['ChargeDetailRecord', { Result: true, StatusCode: { Code: '000' } }],
    ] as const)
      expect(answerCodeProblem(answer(op, body)), `${op} ${JSON.stringify(body)}`).toBeUndefined();
  });

  it('a code that does not fit the answer fails: 000 with NotAuthorized, 102 with Result true, an EVSE code refusing an authorization', () => {
    expect(
      answerCodeProblem(answer('AuthorizeStart', { AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '000' } }))
        ?.problem,
    ).toMatch(/000 \(Success\) with a negative answer/);
    expect(
      answerCodeProblem(answer('ChargingNotification', { Result: true, StatusCode: { Code: '102' } }))?.problem,
    ).toMatch(/with a positive answer, which is 000/);
    expect(
      answerCodeProblem(answer('AuthorizeStop', { AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '603' } }))
        ?.problem,
    ).toMatch(/EVSE code/);
  });

  it("judges only the partner's answers with an HTTP 2xx, not HBS's answers to the partner", () => {
    expect(answerCodeProblem(exchange({ responseBody: { StatusCode: { Code: '999' } } }))).toBeUndefined();
    expect(
      answerCodeProblem(
        exchange({
          direction: 'hub→partner',
          operation: 'ChargeDetailRecord',
          response: { status: 500, headers: {}, body: { StatusCode: { Code: '999' } } },
        }),
      ),
    ).toBeUndefined();
  });
});
