import { afterEach, describe, expect, it } from 'vitest';
import { FrameLog } from '../../../src/ocpp/frames.js';
import { ChargePointFleet } from '../../../src/partners/station/ocpp/fleet.js';
import { createClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/log.js';
import { startTestCsms, type TestCsms } from '../../helpers/csms.js';

/** The catalogue's station actions, named by EvseID as scenarios do, performed at charge points of a real CSMS. */

const CARD = '04A1B2C3D4E5F6';
let csms: TestCsms | undefined;
let fleet: ChargePointFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  await csms?.close();
  fleet = csms = undefined;
});

async function start(answers: Parameters<typeof startTestCsms>[0] = {}): Promise<ChargePointFleet> {
  csms = await startTestCsms(answers);
  fleet = new ChargePointFleet(
    {
      url: `${csms.url}/`,
      chargePoints: [
        { id: 'CP-A', connectors: [{ connectorId: 1, evseId: 'DE*ACM*E0001*1' }] },
        {
          id: 'CP-B',
          connectors: [
            { connectorId: 1, evseId: 'DE*ACM*E0002*1' },
            { connectorId: 2, evseId: 'DE*ACM*E0002*2' },
          ],
        },
      ],
    },
    { clock: createClock(0.01), logger: silentLogger(), frames: new FrameLog() },
  );
  await fleet.connect();
  return fleet;
}

describe('ChargePointFleet', () => {
  it('boots every charge point under its own identity, appended to the CSMS URL', async () => {
    const f = await start();
    expect(new Set(csms!.calls.filter((c) => c.action === 'BootNotification').map((c) => c.chargePointId))).toEqual(
      new Set(['CP-A', 'CP-B']),
    );
    expect(f.evseIds()).toEqual(['DE*ACM*E0001*1', 'DE*ACM*E0002*1', 'DE*ACM*E0002*2']);
  });

  it('another card during a charge: Authorize, and the charge goes on unless the CSMS puts it in the same group', async () => {
    let group: string | undefined;
    const f = await start({
      answers: {
        Authorize: (p) =>
          p.idTag === 'BBBBBBBB' && group
            ? { idTagInfo: { status: 'Accepted', parentIdTag: group } }
            : { idTagInfo: { status: 'Accepted' } },
      },
    });
    await f.perform('swipe', { evseId: 'DE*ACM*E0001*1', uid: CARD });
    expect(await f.perform('swipe', { evseId: 'DE*ACM*E0001*1', uid: 'BBBBBBBB' })).toMatch(/transaction \d+ goes on$/);
    expect(csms!.of('StopTransaction')).toEqual([]);
    group = CARD;
    expect(await f.perform('swipe', { evseId: 'DE*ACM*E0001*1', uid: 'BBBBBBBB' })).toMatch(/ended transaction/);
    expect(csms!.of('StopTransaction')).toEqual([expect.objectContaining({ reason: 'Local', idTag: 'BBBBBBBB' })]);
  });

  it('swipe at a free EVSE: the driver plugs in and the card starts a transaction at that connector; again, it stops', async () => {
    const f = await start();
    expect(await f.perform('swipe', { evseId: 'de*acm*e0002*2', uid: CARD })).toMatch(
      /^CP-B connector 2: 04A1B2C3D4E5F6 authorized, transaction \d+ started$/,
    );
    expect(csms!.calls.filter((c) => c.action === 'StartTransaction')).toEqual([
      expect.objectContaining({
        chargePointId: 'CP-B',
        params: expect.objectContaining({ connectorId: 2, idTag: CARD }),
      }),
    ]);
    expect(await f.perform('swipe', { evseId: 'DE*ACM*E0002*2', uid: CARD })).toMatch(/ended transaction \d+/);
    expect(csms!.of('StopTransaction')).toEqual([expect.objectContaining({ reason: 'Local' })]);
  });

  it('swipe with a card the CSMS refuses: no transaction, and the car is unplugged again', async () => {
    const f = await start({ answers: { Authorize: () => ({ idTagInfo: { status: 'Blocked' } }) } });
    expect(await f.perform('swipe', { evseId: 'DE*ACM*E0001*1', uid: 'DEADBEEF' })).toBe(
      'CP-A connector 1: the CSMS answered Authorize for DEADBEEF with Blocked; no transaction',
    );
    expect(csms!.of('StartTransaction')).toEqual([]);
    expect(csms!.of('StatusNotification').at(-1)).toMatchObject({ connectorId: 1, status: 'Available' });
  });

  it('setStatus OutOfService and Available, reportError during a charge', async () => {
    const f = await start();
    await f.perform('setStatus', { evseId: 'DE*ACM*E0001*1', status: 'OutOfService' });
    expect(csms!.of('StatusNotification').at(-1)).toMatchObject({ connectorId: 1, status: 'Unavailable' });
    await f.perform('setStatus', { evseId: 'DE*ACM*E0001*1', status: 'Available' });
    expect(csms!.of('StatusNotification').at(-1)).toMatchObject({ connectorId: 1, status: 'Available' });
    await f.perform('swipe', { evseId: 'DE*ACM*E0001*1', uid: CARD });
    expect(await f.perform('reportError', { evseId: 'DE*ACM*E0001*1', errorType: 'ConnectorError' })).toContain(
      'Faulted with ConnectorLockFailure',
    );
    // The fault first, then the transaction it ends; then it clears and the driver has left.
    const after = csms!.calls.slice(-3).map((c) => `${c.action} ${String(c.params.status ?? c.params.reason)}`);
    expect(after).toEqual(['StatusNotification Faulted', 'StopTransaction Other', 'StatusNotification Available']);
    expect(csms!.of('StatusNotification').find((s) => s.status === 'Faulted')).toMatchObject({
      errorCode: 'ConnectorLockFailure',
    });
  });

  it('refuseRemoteStart: the next RemoteStartTransaction at that connector is Rejected, once; disarm clears an unused one', async () => {
    const f = await start();
    expect(await f.perform('refuseRemoteStart', { evseId: 'DE*ACM*E0002*2' })).toContain('CP-B connector 2');
    // Another connector of the same charge point is not affected.
    expect(await csms!.call('RemoteStartTransaction', { idTag: CARD, connectorId: 1 }, 'CP-B')).toEqual({
      status: 'Accepted',
    });
    expect(await csms!.call('RemoteStartTransaction', { idTag: CARD, connectorId: 2 }, 'CP-B')).toEqual({
      status: 'Rejected',
    });
    expect(f.disarm()).toEqual([]);
    await f.perform('refuseRemoteStart', { evseId: 'DE*ACM*E0001*1' });
    expect(f.disarm()).toEqual([
      'CP-A connector 1: the refusal of the next RemoteStartTransaction was never used, cleared',
    ]);
    expect(await csms!.call('RemoteStartTransaction', { idTag: CARD, connectorId: 1 }, 'CP-A')).toEqual({
      status: 'Accepted',
    });
  });

  it('refuses what a charge point cannot do, naming why', async () => {
    const f = await start();
    await expect(f.perform('swipe', { evseId: 'DE*ACM*E0009*1', uid: CARD })).rejects.toMatchObject({
      code: 'SIM_ACTION',
      message: expect.stringContaining('is at none of the profile'),
    });
    await expect(f.perform('setStatus', { evseId: 'DE*ACM*E0001*1', status: 'Reserved' })).rejects.toMatchObject({
      code: 'SIM_ACTION',
      message: expect.stringContaining('ReserveNow'),
    });
    await expect(f.perform('reportError', { evseId: 'DE*ACM*E0001*1', errorType: 'Meltdown' })).rejects.toMatchObject({
      code: 'SIM_INPUT',
    });
    await expect(f.perform('stop', { evseId: 'DE*ACM*E0001*1' })).rejects.toMatchObject({ code: 'SIM_ACTION' });
    await expect(f.perform('pushEvseData', {})).rejects.toMatchObject({ code: 'SIM_ACTION' });
    expect(f.has('pushEvseData')).toBe(false);
    expect(f.has('swipe')).toBe(true);
  });

  it('one charge point the CSMS rejects: connect fails naming it, after trying all', async () => {
    await expect(
      start({
        answers: {
          BootNotification: () => ({ status: 'Rejected', currentTime: new Date().toISOString(), interval: 60 }),
        },
      }),
    ).rejects.toMatchObject({ code: 'OCPP_BOOT', message: expect.stringMatching(/CP-A.*CP-B|CP-B.*CP-A/) });
  });
});
