import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startVirtualWorld, type VirtualWorld } from '../../helpers/virtual.js';

/**
 * Under the AUP, HBS may answer 429 several times in a row. The virtual CPO keeps waiting out each Retry-After and
 * sending again, so its End notification and CDR arrive late but arrive: the certification harness fails a partner
 * that drops them after a second 429, and the simulator's own CPO must not.
 */
let w: VirtualWorld;
beforeAll(async () => {
  w = await startVirtualWorld();
});
afterAll(() => w.close());

describe('the virtual CPO under repeated 429s', () => {
  it('End notification and CDR reach the EMP after three 429s in a row for each', async () => {
    const emp = w.actors.emp('virtual-emp')!;
    const station = w.actors.station('virtual-cpo')!;
    const evseId = 'DE*VCP*E0001*1';
    const start = await emp.remoteStart({ evseId });
    const sid = start.ok ? start.body.SessionID! : '';
    expect(sid).not.toBe('');
    await eventually(() => emp.receivedNotifications(sid).some((n) => n.notification.Type === 'Start'), 5000, 'Start');
    // Retry-After 1 s (real) for each of the next three calls of each operation.
    w.hub.context.aup.throttle('DE*VCP', 'ChargingNotification', 3, 1000);
    w.hub.context.aup.throttle('DE*VCP', 'ChargeDetailRecord', 3, 1000);
    await emp.remoteStop({ sessionId: sid, evseId });
    await eventually(() => emp.receivedCdrs().some((c) => c.cdr.SessionID === sid), 15_000, 'CDR at the EMP');
    expect(emp.receivedNotifications(sid).map((n) => n.notification.Type)).toContain('End');
    const refused = w.recorder.all().filter((x) => x.partnerId === 'DE*VCP' && x.response?.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(
      station.activity
        .list({ subject: evseId })
        .filter((a) => a.kind === 'cdr')
        .map((a) => a.detail),
    ).toEqual([expect.stringContaining('accepted')]);
  }, 30_000);
});
