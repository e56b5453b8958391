import { describe, expect, it } from 'vitest';
import { callsOf, payloadField, transactionsOf } from '../../../src/ocpp/conversation.js';
import { iso, T0, Wire } from '../../helpers/ocpp-station.js';

/**
 * What a frame log says happened at the charge points, as the OCPP rules read it: each CALL with its answer, and the
 * transactions (start, the CSMS's transactionId, the stop paired by that id). The frames go through a real FrameLog,
 * so answers carry their CALL's action exactly as in a run.
 */

const when = (s: number): Date => new Date(T0 + s * 1000);

describe('callsOf', () => {
  it('pairs each CALL of an action with its CALLRESULT, in the order the calls were sent, in either direction', () => {
    const w = new Wire();
    const a1 = w.call('CP-1', 'Authorize', { idTag: 'AA' }, 0);
    const a2 = w.call('CP-1', 'Authorize', { idTag: 'BB' }, 1);
    w.call('CP-1', 'Heartbeat', {}, 1.5);
    // Answered out of order: the second card first.
    w.result('CP-1', a2, { idTagInfo: { status: 'Invalid' } }, 2);
    w.result('CP-1', a1, { idTagInfo: { status: 'Accepted' } }, 3);
    w.remoteStart('CP-2', { connectorId: 1, idTag: 'CC' }, 4);

    const authorizes = callsOf(w.log.all(), 'Authorize');
    expect(authorizes.map((c) => [c.call.messageId, payloadField(c.answer, 'idTagInfo')])).toEqual([
      [a1, { status: 'Accepted' }],
      [a2, { status: 'Invalid' }],
    ]);
    expect(authorizes.map((c) => c.answer?.seq)).toEqual([5, 4]);

    const remote = callsOf(w.log.all(), 'RemoteStartTransaction');
    expect(remote).toHaveLength(1);
    expect(remote[0]!.call).toMatchObject({ direction: 'csms→cp', chargePointId: 'CP-2', type: 'CALL' });
    expect(remote[0]!.answer).toMatchObject({
      direction: 'cp→csms',
      type: 'CALLRESULT',
      payload: { status: 'Accepted' },
    });
    expect(callsOf(w.log.all(), 'StartTransaction')).toEqual([]);
  });

  it('takes a CALLERROR as the answer, and leaves a CALL never answered without one', () => {
    const w = new Wire();
    const id = w.call('CP-1', 'RemoteStartTransaction', { connectorId: 1, idTag: 'AA' }, 0, 'csms→cp');
    w.error('CP-1', id, 'NotSupported', 0.4);
    w.call('CP-1', 'RemoteStartTransaction', { connectorId: 2, idTag: 'BB' }, 1, 'csms→cp');

    const [first, second] = callsOf(w.log.all(), 'RemoteStartTransaction');
    expect(first!.answer).toMatchObject({
      type: 'CALLERROR',
      errorCode: 'NotSupported',
      action: 'RemoteStartTransaction',
    });
    expect(second!.call.payload).toEqual({ connectorId: 2, idTag: 'BB' });
    expect(second!.answer).toBeUndefined();
  });

  it('keeps the conversations of two charge points apart when they use the same message ids', () => {
    const w = new Wire();
    // OCPP-J message ids are unique per sender only: two charge points may both count from 1.
    w.log.add('CP-1', 'cp→csms', '[2,"1","Authorize",{"idTag":"AA"}]', when(0));
    w.log.add('CP-2', 'cp→csms', '[2,"1","Authorize",{"idTag":"BB"}]', when(0.1));
    w.log.add('CP-2', 'csms→cp', '[3,"1",{"idTagInfo":{"status":"Blocked"}}]', when(0.2));
    w.log.add('CP-1', 'csms→cp', '[3,"1",{"idTagInfo":{"status":"Accepted"}}]', when(0.3));

    const calls = callsOf(w.log.all(), 'Authorize');
    expect(calls.map((c) => [c.call.chargePointId, payloadField(c.call, 'idTag'), c.answer?.chargePointId])).toEqual([
      ['CP-1', 'AA', 'CP-1'],
      ['CP-2', 'BB', 'CP-2'],
    ]);
    expect(calls.map((c) => payloadField(c.answer, 'idTagInfo'))).toEqual([
      { status: 'Accepted' },
      { status: 'Blocked' },
    ]);
  });

  it('does not take a frame from the same side as the CALL as its answer', () => {
    const w = new Wire();
    w.log.add('CP-1', 'cp→csms', '[2,"7","Authorize",{"idTag":"AA"}]', when(0));
    // The charge point itself sending a CALLRESULT with that id is not the CSMS answering.
    w.log.add('CP-1', 'cp→csms', '[3,"7",{"idTagInfo":{"status":"Accepted"}}]', when(0.1));
    const [c] = callsOf(w.log.all(), 'Authorize');
    expect(c!.call.messageId).toBe('7');
    expect(c!.answer).toBeUndefined();
  });

  it('skips MALFORMED frames and answers nobody asked for', () => {
    const w = new Wire();
    w.log.add('CP-1', 'csms→cp', 'not json at all', when(0));
    w.log.add('CP-1', 'csms→cp', '[3,"ghost",{"idTagInfo":{"status":"Accepted"}}]', when(0.1));
    const id = w.call('CP-1', 'Authorize', { idTag: 'AA' }, 1);
    w.result('CP-1', id, { idTagInfo: { status: 'Accepted' } }, 1.2);
    const calls = callsOf(w.log.all(), 'Authorize');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.answer?.seq).toBe(4);
  });
});

describe('transactionsOf', () => {
  it("reads a transaction: StartTransaction.req's connector, tag, meter and time, .conf's id, the paired stop", () => {
    const w = new Wire();
    w.start(
      'CP-1',
      { connectorId: 2, idTag: 'AA', meterStart: 1_234_000, transactionId: 42, timestamp: '2026-12-02T09:59:58.000Z' },
      0,
    );
    w.stop('CP-1', { transactionId: 42, meterStop: 1_245_500, reason: 'EVDisconnected' }, 1800);

    const [t, ...rest] = transactionsOf(w.log.all());
    expect(rest).toEqual([]);
    expect(t).toMatchObject({
      chargePointId: 'CP-1',
      connectorId: 2,
      idTag: 'AA',
      transactionId: 42,
      meterStartWh: 1_234_000,
      // The charge point's timestamp, not the time the frame was logged.
      startedAt: '2026-12-02T09:59:58.000Z',
      meterStopWh: 1_245_500,
      stoppedAt: iso(1800),
      reason: 'EVDisconnected',
    });
    expect(t!.start.call.seq).toBe(1);
    expect(t!.start.answer?.seq).toBe(2);
    expect(t!.stop?.seq).toBe(3);
  });

  it('pairs a stop by transactionId and charge point, so equal ids at two charge points stay apart', () => {
    const w = new Wire();
    // A CSMS numbering transactions per charge point gives both transaction 1.
    w.start('CP-1', { connectorId: 1, idTag: 'AA', meterStart: 100, transactionId: 1 }, 0);
    w.start('CP-2', { connectorId: 1, idTag: 'BB', meterStart: 5000, transactionId: 1 }, 1);
    w.stop('CP-2', { transactionId: 1, meterStop: 7000 }, 10);
    w.stop('CP-1', { transactionId: 1, meterStop: 900 }, 20);

    const ts = transactionsOf(w.log.all());
    expect(ts.map((t) => [t.chargePointId, t.idTag, t.meterStartWh, t.meterStopWh, t.stoppedAt])).toEqual([
      ['CP-1', 'AA', 100, 900, iso(20)],
      ['CP-2', 'BB', 5000, 7000, iso(10)],
    ]);
  });

  it('lists transactions in the order they started, each stop paired with its own id at one connector', () => {
    const w = new Wire();
    w.start('CP-1', { connectorId: 1, idTag: 'AA', meterStart: 0, transactionId: 7 }, 0);
    w.stop('CP-1', { transactionId: 7, meterStop: 3000 }, 60);
    w.start('CP-1', { connectorId: 1, idTag: 'BB', meterStart: 3000, transactionId: 8 }, 120);
    w.stop('CP-1', { transactionId: 8, meterStop: 10_000 }, 300);

    expect(transactionsOf(w.log.all()).map((t) => [t.transactionId, t.meterStartWh, t.meterStopWh])).toEqual([
      [7, 0, 3000],
      [8, 3000, 10_000],
    ]);
  });

  it('leaves a transaction whose StartTransaction was never answered, or answered with a CALLERROR, without id or stop', () => {
    const w = new Wire();
    w.start('CP-1', { connectorId: 1, idTag: 'AA', meterStart: 100 }, 0);
    const failed = w.start('CP-2', { connectorId: 1, idTag: 'BB', meterStart: 200 }, 1);
    w.error('CP-2', failed, 'InternalError', 1.2);
    w.stop('CP-1', { transactionId: 5, meterStop: 900 }, 30);
    // A StopTransaction without a transactionId (not schema-valid, but a frame is evidence) ends no unnumbered one.
    w.log.add('CP-1', 'cp→csms', JSON.stringify([2, 'no-id', 'StopTransaction', { meterStop: 950 }]));

    const ts = transactionsOf(w.log.all());
    expect(ts).toHaveLength(2);
    for (const t of ts) {
      expect(t.transactionId).toBeUndefined();
      expect(t.stop).toBeUndefined();
      expect(t.meterStopWh).toBeUndefined();
    }
    expect(ts[1]!.start.answer?.type).toBe('CALLERROR');
  });

  it('keeps the first StopTransaction of a transaction: a repeated one does not move its meter or time', () => {
    const w = new Wire();
    w.start('CP-1', { connectorId: 1, idTag: 'AA', meterStart: 100, transactionId: 3 }, 0);
    w.stop('CP-1', { transactionId: 3, meterStop: 900 }, 30);
    w.stop('CP-1', { transactionId: 3, meterStop: 99_999 }, 40);
    const [t] = transactionsOf(w.log.all());
    expect(t).toMatchObject({ meterStopWh: 900, stoppedAt: iso(30) });
    expect(t!.stop?.seq).toBe(3);
  });

  it('falls back to the frame time when the charge point gave no timestamp, and skips starts without connector or meter', () => {
    const w = new Wire();
    const s = w.call('CP-1', 'StartTransaction', { connectorId: 1, idTag: 'AA', meterStart: 50 }, 5);
    w.result('CP-1', s, { transactionId: 9, idTagInfo: { status: 'Accepted' } }, 5.1);
    // Not a transaction the rules could compare: no connector, a meter that is not a number.
    const bad1 = w.call('CP-1', 'StartTransaction', { idTag: 'BB', meterStart: 50, timestamp: iso(6) }, 6);
    w.result('CP-1', bad1, { transactionId: 10, idTagInfo: { status: 'Accepted' } }, 6.1);
    const bad2 = w.call('CP-1', 'StartTransaction', { connectorId: 2, idTag: 'CC', meterStart: '50' }, 7);
    w.result('CP-1', bad2, { transactionId: 11, idTagInfo: { status: 'Accepted' } }, 7.1);
    w.call('CP-1', 'StopTransaction', { transactionId: 9, meterStop: 150 }, 20);

    const ts = transactionsOf(w.log.all());
    expect(ts).toHaveLength(1);
    expect(ts[0]).toMatchObject({ transactionId: 9, startedAt: iso(5), stoppedAt: iso(20), meterStopWh: 150 });
  });

  it('ignores a StopTransaction the CSMS sent, which is not a charge point reporting a stop', () => {
    const w = new Wire();
    w.start('CP-1', { connectorId: 1, idTag: 'AA', meterStart: 100, transactionId: 4 }, 0);
    w.call('CP-1', 'StopTransaction', { transactionId: 4, meterStop: 500, timestamp: iso(10) }, 10, 'csms→cp');
    expect(transactionsOf(w.log.all())[0]!.stop).toBeUndefined();
  });
});

describe('payloadField', () => {
  it("reads a frame's payload field, and nothing from a missing frame or a payload that is not an object", () => {
    const w = new Wire();
    w.call('CP-1', 'Authorize', { idTag: 'AA' }, 0);
    w.call('CP-1', 'DataTransfer', 'just text', 1);
    const [a, d] = w.log.all();
    expect(payloadField(a, 'idTag')).toBe('AA');
    expect(payloadField(a, 'nope')).toBeUndefined();
    expect(payloadField(d, 'idTag')).toBeUndefined();
    expect(payloadField(undefined, 'idTag')).toBeUndefined();
  });
});
