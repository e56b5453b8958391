import type { OcppProfile } from '../../src/harness/scenario/ocpp-profile.js';
import type { OcppRuleContext } from '../../src/harness/scenario/ocpp-rules.js';
import { ocppView } from '../../src/harness/scenario/ocpp-view.js';
import { FrameLog, type OcppFrame } from '../../src/ocpp/frames.js';
import type { Exchange, ExchangeDirection } from '../../src/shared/exchange.js';

/**
 * Both sides of a CSMS for the OCPP rule tests, at fixed times: the OCPP-J frames its charge points exchanged with it
 * (written into a real FrameLog, so answers are labelled with their CALL's action as in a run) and the OICP exchanges
 * HBS recorded with it. Times are seconds after T0.
 */

export const T0 = Date.parse('2026-12-02T10:00:00.000Z');
/** ISO 8601 time `s` seconds after T0. */
export const iso = (s: number): string => new Date(T0 + s * 1000).toISOString();

/** CP-1 has two connectors, CP-2 one; the EvseIDs are what the CPO publishes for them. */
export const EVSE_1_1 = 'DE*ACM*E0001*1';
export const EVSE_1_2 = 'DE*ACM*E0001*2';
export const EVSE_2_1 = 'DE*ACM*E0002*1';
export const PROFILE: OcppProfile = {
  url: 'ws://csms.test/ocpp',
  chargePoints: [
    {
      id: 'CP-1',
      connectors: [
        { connectorId: 1, evseId: EVSE_1_1 },
        { connectorId: 2, evseId: EVSE_1_2 },
      ],
    },
    { id: 'CP-2', connectors: [{ connectorId: 1, evseId: EVSE_2_1 }] },
  ],
};

type Direction = OcppFrame['direction'];
const other = (d: Direction): Direction => (d === 'cp→csms' ? 'csms→cp' : 'cp→csms');

/** A charge point's answer to a CSMS CALL: a CALLRESULT payload, a CALLERROR, or none ever. */
export type CpAnswer = { result: unknown } | { error: string } | 'none';

/** The frames of an item, added to a real FrameLog in the order the test writes them. */
export class Wire {
  readonly log = new FrameLog();
  private n = 0;
  private readonly sentBy = new Map<string, Direction>();

  /** A CALL; returns its message id. */
  call(cp: string, action: string, payload: unknown, s: number, direction: Direction = 'cp→csms'): string {
    const id = `m${++this.n}`;
    this.sentBy.set(`${cp}/${id}`, direction);
    this.log.add(cp, direction, JSON.stringify([2, id, action, payload]), new Date(T0 + s * 1000));
    return id;
  }

  /** The CALLRESULT to CALL `id`, travelling the other way. */
  result(cp: string, id: string, payload: unknown, s: number): OcppFrame {
    return this.log.add(cp, this.answerDirection(cp, id), JSON.stringify([3, id, payload]), new Date(T0 + s * 1000));
  }

  /** The CALLERROR to CALL `id`. */
  error(cp: string, id: string, code: string, s: number): OcppFrame {
    const raw = JSON.stringify([4, id, code, `${code} at the receiver`, {}]);
    return this.log.add(cp, this.answerDirection(cp, id), raw, new Date(T0 + s * 1000));
  }

  /** StartTransaction.req at `s` (timestamp `timestamp`, default the same time) and its .conf 0.2 s later. */
  start(
    cp: string,
    o: { connectorId: number; idTag: string; meterStart: number; transactionId?: number; timestamp?: string },
    s: number,
  ): string {
    const id = this.call(
      cp,
      'StartTransaction',
      { connectorId: o.connectorId, idTag: o.idTag, meterStart: o.meterStart, timestamp: o.timestamp ?? iso(s) },
      s,
    );
    if (o.transactionId !== undefined) {
      this.result(cp, id, { transactionId: o.transactionId, idTagInfo: { status: 'Accepted' } }, s + 0.2);
    }
    return id;
  }

  /** StopTransaction.req at `s` and its .conf 0.2 s later. */
  stop(
    cp: string,
    o: { transactionId: number; meterStop: number; timestamp?: string; reason?: string },
    s: number,
  ): string {
    const id = this.call(
      cp,
      'StopTransaction',
      {
        transactionId: o.transactionId,
        meterStop: o.meterStop,
        timestamp: o.timestamp ?? iso(s),
        ...(o.reason ? { reason: o.reason } : {}),
      },
      s,
    );
    this.result(cp, id, {}, s + 0.2);
    return id;
  }

  /** StatusNotification.req at `s`, answered at once; returns the CALL's sequence number. */
  status(cp: string, connectorId: number, status: string, s: number): number {
    const id = this.call(cp, 'StatusNotification', { connectorId, errorCode: 'NoError', status, timestamp: iso(s) }, s);
    const seq = this.log.recordedCount();
    this.result(cp, id, {}, s);
    return seq;
  }

  /** Authorize.req at `s`; the CSMS answers `status` 0.5 s later, or never (undefined). Returns the CALL's seq. */
  authorize(cp: string, idTag: string, s: number, status?: string, answerAt = s + 0.5): number {
    const id = this.call(cp, 'Authorize', { idTag }, s);
    const seq = this.log.recordedCount();
    if (status !== undefined) this.result(cp, id, { idTagInfo: { status } }, answerAt);
    return seq;
  }

  /** RemoteStartTransaction.req from the CSMS at `s`, and the charge point's answer 0.3 s later. */
  remoteStart(
    cp: string,
    o: { connectorId?: number; idTag: string },
    s: number,
    answer: CpAnswer = { result: { status: 'Accepted' } },
  ): number {
    const id = this.call(cp, 'RemoteStartTransaction', o, s, 'csms→cp');
    const seq = this.log.recordedCount();
    if (answer === 'none') return seq;
    if ('error' in answer) this.error(cp, id, answer.error, s + 0.3);
    else this.result(cp, id, answer.result, s + 0.3);
    return seq;
  }

  /** The frames of the item that began after `fromSeq`, as the rules read them, with this file's profile. */
  context(o: { fromSeq?: number; profile?: OcppProfile; scale?: number } = {}): OcppRuleContext {
    const scale = o.scale ?? 1;
    return {
      timeScale: scale,
      deadline: (ms) => ms * scale,
      ocpp: ocppView(o.profile ?? PROFILE, this.log, o.fromSeq ?? 0),
    };
  }

  private answerDirection(cp: string, id: string): Direction {
    return other(this.sentBy.get(`${cp}/${id}`) ?? 'csms→cp');
  }
}

let counter = 0;
/**
 * An OICP exchange as HBS records it: `s` is when it reached HBS, the answer comes `durationMs` later; the OICP status
 * code is read from the answer's StatusCode unless given.
 */
export function oicpExchange(
  operation: string,
  direction: ExchangeDirection,
  body: unknown,
  s: number,
  o: { answer?: unknown; statusCode?: string; durationMs?: number; id?: string } = {},
): Exchange {
  const answer = o.answer ?? { Result: true, StatusCode: { Code: '000' } };
  const code = (answer as { StatusCode?: { Code?: unknown } }).StatusCode?.Code;
  const statusCode = o.statusCode ?? (typeof code === 'string' ? code : undefined);
  return {
    id: o.id ?? `ox${++counter}`,
    direction,
    operation,
    partnerId: 'DE*ACM',
    request: { method: 'POST', url: `/api/oicp/test/${operation}`, headers: {}, body },
    response: { status: 200, headers: {}, body: answer },
    ...(statusCode ? { statusCode } : {}),
    startedAt: iso(s),
    durationMs: o.durationMs ?? 40,
    violations: [],
  };
}
