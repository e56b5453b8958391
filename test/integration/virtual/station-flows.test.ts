import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessage } from '../../../src/oicp/validate.js';
import { expectHubMessagesValid } from '../../helpers/hub.js';
import type { VirtualWorld } from '../../helpers/virtual.js';
import { eventually, startVirtualWorld } from '../../helpers/virtual.js';

// The default world: virtual-cpo (DE*VCP, four EVSEs) and virtual-emp (DE-VEM, customers Alice, Bob, Carol blocked).
let w: VirtualWorld;
beforeAll(async () => {
  w = await startVirtualWorld();
});
afterAll(async () => w?.close());

const station = () => w.actors.station('virtual-cpo')!;
const emp = () => w.actors.emp('virtual-emp')!;

describe('virtual station start-up', () => {
  it('pushes its EVSE data and statuses (fullLoad) before anything else, one after the other', () => {
    const pushes = w.recorder.all().filter((x) => x.partnerId === 'DE*VCP' && x.operation.startsWith('Push'));
    expect(pushes.slice(0, 2).map((x) => [x.operation, (x.request.body as { ActionType: string }).ActionType])).toEqual(
      [
        ['PushEvseData', 'fullLoad'],
        ['PushEvseStatus', 'fullLoad'],
      ],
    );
    expect(pushes.slice(0, 2).every((x) => x.statusCode === '000')).toBe(true);
    const first = pushes[0]!;
    const second = pushes[1]!;
    expect(Date.parse(second.startedAt)).toBeGreaterThanOrEqual(Date.parse(first.startedAt) + first.durationMs - 1);
    expect(w.hub.context.state.evseData.get('DE*VCP*E0001*1')).toBeDefined();
  });
});

describe('remote start → charge → remote stop → CDR, virtual EMP and virtual station through the hub', () => {
  it('runs the whole session with consistent notifications and CDR', async () => {
    const start = await emp().remoteStart({ evseId: 'DE*VCP*E0001*1' });
    expect(start.ok && start.body.Result).toBe(true);
    const sessionId = start.ok ? start.body.SessionID! : '';
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/i);

    await eventually(
      () =>
        station()
          .view()
          .find((e) => e.EvseID === 'DE*VCP*E0001*1')?.session?.phase === 'charging',
      3000,
      'charging',
    );
    await eventually(
      () => w.hub.context.state.evseStatus.get('DE*VCP*E0001*1')?.EvseStatus === 'Occupied',
      2000,
      'Occupied pushed',
    );
    // Two Progress notifications (300 protocol seconds apart) before stopping.
    await eventually(
      () =>
        emp()
          .receivedNotifications(sessionId)
          .filter((n) => n.notification.Type === 'Progress').length >= 2,
      5000,
      'two Progress',
    );

    const stop = await emp().remoteStop({ sessionId });
    expect(stop.ok && stop.body.Result).toBe(true);
    const cdr = await eventually(
      () =>
        emp()
          .receivedCdrs()
          .find((c) => c.cdr.SessionID === sessionId),
      5000,
      'CDR at the EMP',
    );

    const types = emp()
      .receivedNotifications(sessionId)
      .map((n) => n.notification.Type);
    expect(types[0]).toBe('Start');
    expect(types.at(-1)).toBe('End');
    const c = cdr.cdr;
    const t = (s: string) => Date.parse(s);
    expect(t(c.SessionStart)).toBeLessThanOrEqual(t(c.ChargingStart));
    expect(t(c.ChargingStart)).toBeLessThanOrEqual(t(c.ChargingEnd));
    expect(t(c.ChargingEnd)).toBeLessThanOrEqual(t(c.SessionEnd));
    expect(c.ConsumedEnergy).toBeCloseTo(c.MeterValueEnd! - c.MeterValueStart!, 3);
    const hours = (t(c.ChargingEnd) - t(c.ChargingStart)) / 3_600_000;
    expect(c.ConsumedEnergy).toBeCloseTo(11 * hours, 3);
    expect(c.MeterValueInBetween?.meterValues?.length).toBeGreaterThanOrEqual(2);
    expect(cdr.duplicate).toBe(false);
    await w.hub.idle();
    expect(w.hub.context.state.cdrs.forSession(sessionId)?.forwardStatus).toBe('FORWARDED');
    await eventually(
      () =>
        station()
          .view()
          .find((e) => e.EvseID === 'DE*VCP*E0001*1')?.status === 'Available',
      2000,
      'Available again',
    );
  });

  it('every message the virtual actors sent or answered validates against the OICP model, with no protocol flag', () => {
    const actorSide = w.recorder
      .all()
      .flatMap((x) =>
        x.violations
          .filter(
            (v) =>
              (x.direction === 'partner→hub' && v.side === 'request') ||
              (x.direction === 'hub→partner' && v.side === 'response'),
          )
          .map((v) => `${x.operation} ${x.direction} ${v.kind} ${v.pointer}: ${v.message}`),
      );
    expect(actorSide).toEqual([]);
    expectHubMessagesValid(w.recorder.all());
    for (const x of w.recorder.all().filter((e) => e.direction === 'partner→hub')) {
      expect(
        validateMessage(x.operation as never, 'request', x.request.body).filter((v) => v.severity === 'error'),
      ).toEqual([]);
    }
  });
});

describe('the station answers like a correct CPO', () => {
  it('refuses an occupied EVSE with 602 and echoes the hub SessionID', async () => {
    const first = await emp().remoteStart({ evseId: 'DE*VCP*E0001*2' });
    expect(first.ok && first.body.Result).toBe(true);
    const second = await emp().remoteStart({ evseId: 'DE*VCP*E0001*2', customer: 'Bob' });
    expect(second.ok && second.body.Result).toBe(false);
    expect(second.ok && second.body.StatusCode.Code).toBe('602');
    const forwarded = w.recorder
      .all()
      .filter((x) => x.direction === 'hub→partner' && x.operation === 'AuthorizeRemoteStart')
      .at(-1)!;
    expect((forwarded.response?.body as { SessionID: string } | undefined)?.SessionID).toBe(
      (forwarded.request.body as { SessionID: string }).SessionID,
    );
    await emp().remoteStop({ sessionId: first.ok ? first.body.SessionID! : '' });
    await eventually(
      () =>
        station()
          .view()
          .find((e) => e.EvseID === 'DE*VCP*E0001*2')?.status === 'Available',
      3000,
      'Available',
    );
  });

  it('refuses an out-of-service EVSE with 700 and a reserved one with 601', async () => {
    station().setStatus('DE*VCP*E0002*1', 'OutOfService');
    const oos = await emp().remoteStart({ evseId: 'DE*VCP*E0002*1' });
    expect(oos.ok && oos.body.StatusCode.Code).toBe('700');
    station().setStatus('DE*VCP*E0002*1', 'Available');
    const reservation = await emp().reservationStart({ evseId: 'DE*VCP*E0002*1', customer: 'Alice' });
    expect(reservation.ok && reservation.body.Result).toBe(true);
    await eventually(
      () => w.hub.context.state.evseStatus.get('DE*VCP*E0002*1')?.EvseStatus === 'Reserved',
      2000,
      'Reserved pushed',
    );
    const stranger = await w.call('my-emp', '/charging/v21/providers/DE-MYE/authorize-remote/start', {
      ProviderID: 'DE-MYE',
      EvseID: 'DE*VCP*E0002*1',
      Identification: { RemoteIdentification: { EvcoID: 'DE-MYE-C00000001-1' } },
    });
    expect(stranger.json.Result).toBe(false);
    expect(stranger.json.StatusCode.Code).toBe('601');
    // The reservation's own provider may use it: the start consumes the reservation.
    const holder = await emp().remoteStart({ evseId: 'DE*VCP*E0002*1' });
    expect(holder.ok && holder.body.Result).toBe(true);
    await emp().remoteStop({ sessionId: holder.ok ? holder.body.SessionID! : '' });
    await eventually(
      () =>
        station()
          .view()
          .find((e) => e.EvseID === 'DE*VCP*E0002*1')?.status === 'Available',
      3000,
      'Available',
    );
  });

  it('cancelReservation (a teardown tidying up) ends a reservation without an EMP call and frees the EVSE', async () => {
    const evseId = 'DE*VCP*E0001*2';
    const reservation = await emp().reservationStart({ evseId, customer: 'Alice' });
    expect(reservation.ok && reservation.body.Result).toBe(true);
    const view = station().cancelReservation(evseId, 'cancelled by the test');
    expect(view.reservation).toBeUndefined();
    await eventually(
      () => w.hub.context.state.evseStatus.get(evseId)?.EvseStatus === 'Available',
      3000,
      'Available pushed after the cancel',
    );
    expect(() => station().cancelReservation(evseId, 'again')).toThrow(/has no reservation/);
  });

  it('an illegal status transition is an EVSE_TRANSITION error and changes nothing', () => {
    station().setStatus('DE*VCP*E0002*1', 'OutOfService');
    expect(() => station().setStatus('DE*VCP*E0002*1', 'Occupied')).toThrow(/cannot go from OutOfService to Occupied/);
    expect(
      station()
        .view()
        .find((e) => e.EvseID === 'DE*VCP*E0002*1')?.status,
    ).toBe('OutOfService');
    station().setStatus('DE*VCP*E0002*1', 'Available');
  });
});
