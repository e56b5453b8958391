import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_DEFAULTS } from '../../../src/config/world/schema.js';
import { startTestHub, type TestHub, testWorld } from '../../helpers/hub.js';
import { pushEvseStatus } from '../../helpers/messages.js';

/**
 * Pushes of one operation MUST be sequential (OICP 2.3 CPO, 01 Communication Paradigms, Data push operations). HBS
 * takes a while to process a push, so two sent at once overlap there every time; the hub's processing time
 * (hub.aup.pushProcessingMs) makes that so here too, instead of only when they arrive within the same millisecond
 * (2 of 4 self-test runs before).
 */

const PATH = '/evsepush/v21/operators/DE*CPA/status-records';
const SEQUENTIAL = /pushes must be sequential/;
let t: TestHub;

beforeAll(async () => {
  const world = testWorld();
  t = await startTestHub({
    ...world,
    hub: { ...world.hub, aup: { ...world.hub.aup, enabled: false, pushProcessingMs: 50 } },
  });
});
afterAll(() => t.close());

const flagged = (from: number) =>
  t.recorder
    .all()
    .slice(from)
    .filter(
      (x) =>
        x.operation === 'PushEvseStatus' &&
        x.violations.some((v) => SEQUENTIAL.test(v.message) && v.rule === 'pushes-sequential'),
    );
const push = (status: string) =>
  t.call('cpo-a', PATH, pushEvseStatus('DE*CPA', [{ EvseID: 'DE*CPA*E0000', EvseStatus: status }], 'update'));

describe('two pushes of one operation sent at once', () => {
  it('are caught every time: in each of 10 rounds, the second of the pair is flagged', async () => {
    for (let round = 0; round < 10; round++) {
      const from = t.recorder.all().length;
      await Promise.all([push('Available'), push('Occupied')]);
      expect(flagged(from), `round ${round}`).toHaveLength(1);
    }
  });

  it('one after the other, each once the previous one is answered, none is flagged', async () => {
    const from = t.recorder.all().length;
    for (let i = 0; i < 10; i++) await push(i % 2 ? 'Available' : 'Occupied');
    expect(
      t.recorder
        .all()
        .slice(from)
        .filter((x) => x.operation === 'PushEvseStatus'),
    ).toHaveLength(10);
    expect(flagged(from)).toEqual([]);
  });

  it('the next push, sent on a new connection the moment the answer arrives, is never flagged (60 rounds)', async () => {
    // The window ends when HBS answers, not when Node later reports the response closed: a partner that got its
    // answer may already be sending the next push on another connection (a CI run flagged the reference CPO so).
    const from = t.recorder.all().length;
    for (let i = 0; i < 60; i++) {
      const res = await t.call(
        'cpo-a',
        PATH,
        pushEvseStatus('DE*CPA', [{ EvseID: 'DE*CPA*E0000', EvseStatus: i % 2 ? 'Available' : 'Occupied' }], 'update'),
      );
      expect(res.status).toBe(200);
    }
    expect(flagged(from)).toEqual([]);
  });

  it('HBS answers a push after its processing time, 50 ms by default', async () => {
    expect(HUB_DEFAULTS.aup.pushProcessingMs).toBe(50);
    const started = performance.now();
    await push('Available');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});
