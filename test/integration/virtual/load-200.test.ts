import { describe, expect, it } from 'vitest';
import type { World } from '../../../src/config/world/types.js';
import { eventually, startVirtualWorld } from '../../helpers/virtual.js';

/**
 * 200 charging sessions at once through the virtual EMP and the virtual station, with the AUP on and limits low
 * enough that HBS answers 429 to the remote starts and stops, the charging notifications and the CDRs. The actors
 * wait out each Retry-After and send again, so nothing is lost: every session's Start and End notification and its
 * CDR reach the EMP, and HBS holds every CDR as FORWARDED.
 */
const SESSIONS = 200;
// Per protocol minute; at the test time scale (1/1000) a minute is 60 ms, so 200 calls at once overrun each of them.
const LIMITS = { AuthorizeRemoteStart: 8, AuthorizeRemoteStop: 8, ChargingNotification: 8, ChargeDetailRecord: 8 };

const evseIdOf = (i: number): string => `DE*VCP*E${String(1000 + i)}*1`;

/** The virtual station with SESSIONS EVSEs, copies of its first one. */
function manyEvses(world: World): World {
  const station = world.virtual.stations[0]!;
  const template = station.evseData[0]!;
  const start = Object.values(station.evses)[0]!;
  const ids = Array.from({ length: SESSIONS }, (_, i) => evseIdOf(i));
  return {
    ...world,
    virtual: {
      ...world.virtual,
      stations: [
        {
          ...station,
          evseData: ids.map((EvseID) => ({ ...template, EvseID })),
          evses: Object.fromEntries(ids.map((id) => [id, { ...start, status: 'Available' as const }])),
        },
        ...world.virtual.stations.slice(1),
      ],
    },
  };
}

describe(`${SESSIONS} concurrent sessions with the AUP on`, () => {
  it('lose no notification and no CDR, also where HBS answered 429', { timeout: 60_000 }, async () => {
    const w = await startVirtualWorld({
      hub: { aup: { enabled: true, perMinute: LIMITS, pushProcessingMs: 0 } },
      // No Progress notifications while the 200 wait their turn: only Start, End and the CDR are counted.
      station: { progressIntervalSeconds: 86_400 },
      edit: manyEvses,
    });
    // Hundreds of calls waiting out a Retry-After at once are no leak, and must not be reported as one.
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const emp = w.actors.emp('virtual-emp')!;
      const station = w.actors.station('virtual-cpo')!;
      const evseIds = Array.from({ length: SESSIONS }, (_, i) => evseIdOf(i));
      const sessionIds = await Promise.all(
        evseIds.map(async (evseId) => {
          const start = await emp.remoteStart({ evseId });
          expect(start.ok && start.body.Result, `remote start at ${evseId}: ${JSON.stringify(start.body)}`).toBe(true);
          return start.ok ? start.body.SessionID! : '';
        }),
      );
      expect(new Set(sessionIds).size).toBe(SESSIONS);
      const phase = (evseId: string) => station.view().find((e) => e.EvseID === evseId)?.session?.phase;
      await eventually(() => evseIds.every((id) => phase(id) === 'charging'), 15_000, 'every EVSE charging');
      const stops = await Promise.all(
        sessionIds.map((sessionId, i) => emp.remoteStop({ sessionId, evseId: evseIds[i] })),
      );
      for (const [i, s] of stops.entries()) expect(s.ok && s.body.Result, `remote stop ${sessionIds[i]}`).toBe(true);

      const types = (sid: string) => new Set(emp.receivedNotifications(sid).map((n) => n.notification.Type));
      const missing = () =>
        sessionIds.filter(
          (sid) =>
            !types(sid).has('Start') ||
            !types(sid).has('End') ||
            !emp.receivedCdrs().some((c) => c.cdr.SessionID === sid) ||
            w.hub.state.cdrs.forSession(sid)?.forwardStatus !== 'FORWARDED',
        );
      await eventually(() => missing().length === 0, 25_000, 'every Start, End and CDR at the EMP').catch((e) => {
        const lost = missing();
        throw new Error(`${lost.length} of ${SESSIONS} sessions incomplete, e.g. ${lost.slice(0, 3).join(', ')}: ${e}`);
      });
      expect(emp.receivedCdrs().filter((c) => c.duplicate)).toEqual([]);

      // The limits bit: HBS refused some of each kind with 429, and the actors sent them again.
      const refused = (op: string) =>
        w.recorder
          .all()
          .filter((x) => x.operation === op && x.direction === 'partner→hub' && x.response?.status === 429).length;
      for (const op of Object.keys(LIMITS)) expect(refused(op), `429s for ${op}`).toBeGreaterThan(0);
      // No request the hub answered failed for its own reasons.
      expect(w.recorder.all().filter((x) => (x.response?.status ?? 0) >= 500)).toEqual([]);
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await w.close();
    }
  });
});
