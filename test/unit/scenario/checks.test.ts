import { describe, expect, it } from 'vitest';
import { loadWorld } from '../../../src/config/world/load.js';
import { evaluate, matches } from '../../../src/harness/scenario/checks.js';
import { defaultScenariosDir, knownActors, loadScenarios } from '../../../src/harness/scenario/load.js';
import { fill } from '../../../src/harness/scenario/template.js';
import type { Exchange } from '../../../src/shared/exchange.js';

const SID = 'b2688855-7f00-0002-6d8e-48d883f6abb6';
const leg = (response: unknown, durationMs = 120): Exchange => ({
  id: 'x00042',
  direction: 'hub→partner',
  operation: 'AuthorizeRemoteStart',
  partnerId: 'DE*ACM',
  request: {
    method: 'POST',
    url: 'https://127.0.0.1:9444/oicp/x',
    headers: {},
    body: {
      ProviderID: 'DE-VEM',
      EvseID: 'DE*ACM*E0001*1',
      SessionID: SID,
      Identification: { RemoteIdentification: { EvcoID: 'DE-VEM-C00000001-1' } },
    },
  },
  response: { status: 200, headers: {}, body: response },
  startedAt: '2026-11-22T10:00:00.000Z',
  durationMs,
  violations: [],
});

describe('templates', () => {
  const vars = { sessionId: SID, n: 5, partner: { evseIds: ['DE*ACM*E0001*1'] } };
  it('a whole placeholder keeps its type; inside text it becomes text', () => {
    expect(fill({ a: '{{n}}', b: 'n={{ n }}', c: ['{{partner.evseIds[0]}}'], d: true }, vars)).toEqual({
      a: 5,
      b: 'n=5',
      c: ['DE*ACM*E0001*1'],
      d: true,
    });
  });
  it('{{now}} and {{now - 1d}} are ISO 8601 dates computed when filled, shifted by s, m, h or d', () => {
    const now = new Date('2026-11-28T10:00:00.000Z');
    expect(
      fill(
        { To: '{{now}}', From: '{{ now - 1d }}', Later: '{{now+90m}}', Text: 'since {{now - 30s}}' },
        { ...vars, now },
      ),
    ).toEqual({
      To: '2026-11-28T10:00:00.000Z',
      From: '2026-11-27T10:00:00.000Z',
      Later: '2026-11-28T11:30:00.000Z',
      Text: 'since 2026-11-28T09:59:30.000Z',
    });
    const before = Date.now();
    expect(Date.parse(fill('{{now - 1h}}', vars) as string)).toBeGreaterThanOrEqual(before - 3_600_000);
  });
  it('a value the run does not have is an error naming the fix', () => {
    expect(() => fill('{{partner.uids[0]}}', vars)).toThrow(/partner profile has no uids.*add it under testData/);
    expect(() => fill('{{later}}', vars)).toThrow(/\{\{later\}\} has no value/);
  });
});

describe('checks of the CPO-07 scenario on a forwarded remote start', () => {
  const expectOf = async () => {
    const [s] = await loadScenarios(
      [`${defaultScenariosDir()}/cpo/CPO-07-remote-start.yaml`],
      knownActors(await loadWorld()),
    );
    return s!.steps.find((step) => step.actor === 'virtual-emp' && step.expect)!.expect!;
  };

  it('pass on a correct CPO answer', async () => {
    const checks = evaluate(
      await expectOf(),
      leg({ Result: true, StatusCode: { Code: '000' }, SessionID: SID }),
      'response',
      {},
    );
    expect(checks.map((c) => [c.id, c.outcome])).toEqual([
      ['status', 'passed'],
      ['schema', 'passed'],
      ['status-code', 'passed'],
      ['field:/Result', 'passed'],
      ['field:/SessionID', 'passed'],
      ['latency', 'passed'],
    ]);
  });

  it('fail with expected, actual, exchange and pointer when the CPO refuses generically, drops the SessionID and is slow', async () => {
    const checks = evaluate(await expectOf(), leg({ Result: false, StatusCode: { Code: 22 } }, 12_500), 'response', {});
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    expect(byId.schema).toMatchObject({
      outcome: 'failed',
      pointer: '/StatusCode/Code',
      exchangeId: 'x00042',
      side: 'response',
    });
    expect(byId['status-code']).toMatchObject({ outcome: 'failed', expected: '000', actual: 22 });
    expect(byId['field:/Result']).toMatchObject({
      outcome: 'failed',
      expected: true,
      actual: false,
      pointer: '/Result',
    });
    expect(byId['field:/SessionID']).toMatchObject({ outcome: 'failed', expected: SID, actual: null });
    expect(byId.latency).toMatchObject({
      title: 'answered within 10 s',
      outcome: 'failed',
      expected: '≤ 10 s',
      actual: '12500 ms',
    });
  });

  it('print the latency limit as the run used it, with the protocol time it stands for', async () => {
    const time = { timeScale: 0.05, deadline: (ms: number) => Math.round(ms * 0.05) };
    const slow = leg({ Result: true, StatusCode: { Code: '000' }, SessionID: SID }, 900);
    const latency = evaluate(await expectOf(), slow, 'response', {}, time).find((c) => c.id === 'latency');
    // CPO-07 allows 10 s of protocol time: 500 ms at --time-scale 0.05, which a 900 ms answer misses.
    expect(latency).toMatchObject({
      title: 'answered within 500 ms (10 s protocol time at --time-scale 0.05)',
      outcome: 'failed',
      expected: '≤ 500 ms (10 s protocol time at --time-scale 0.05)',
      actual: '900 ms',
    });
  });

  it('name the HTTP error the partner answered, not a StatusCode or field of null, when its answer is no OICP answer', async () => {
    const crashed: Exchange = {
      ...leg(undefined),
      response: { status: 500, headers: {}, body: 'java.lang.NullPointerException at RemoteStartController.java:42' },
    };
    const byId = Object.fromEntries(evaluate(await expectOf(), crashed, 'response', {}).map((c) => [c.id, c]));
    const said = 'HTTP 500 (body: java.lang.NullPointerException at RemoteStartController.java:42)';
    expect(byId['status-code']).toMatchObject({ outcome: 'failed', expected: '000', actual: said });
    expect(byId['field:/Result']).toMatchObject({ outcome: 'failed', expected: true, actual: said });
    expect(byId.schema).toMatchObject({ outcome: 'failed', actual: said });
    const empty: Exchange = { ...leg(undefined), response: { status: 503, headers: {}, body: '' } };
    const code = evaluate(await expectOf(), empty, 'response', {}).find((c) => c.id === 'status-code');
    expect(code?.actual).toBe('HTTP 503 (empty body)');
    const long: Exchange = { ...leg(undefined), response: { status: 502, headers: {}, body: 'x'.repeat(500) } };
    const cut = evaluate(await expectOf(), long, 'response', {}).find((c) => c.id === 'status-code');
    expect(cut?.actual).toBe(`HTTP 502 (body: ${'x'.repeat(200)}…)`);
  });

  it('keep null for a field an OICP answer leaves out: the answer is OICP, the field is what is missing', async () => {
    const checks = evaluate(await expectOf(), leg({ Result: true, StatusCode: { Code: '000' } }), 'response', {});
    expect(checks.find((c) => c.id === 'field:/SessionID')?.actual).toBeNull();
  });
});

describe('await matching and pointers', () => {
  it('matches a request on every field, with placeholders filled', () => {
    const x = leg({});
    expect(matches({ '/SessionID': '{{sid}}', '/EvseID': { matches: '^DE\\*ACM' } }, x, { sid: SID })).toBe(true);
    expect(matches({ '/SessionID': '{{sid}}', '/EvseID': { exists: false } }, x, { sid: SID })).toBe(false);
  });
});
