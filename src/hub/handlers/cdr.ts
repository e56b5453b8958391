import type { Partner } from '../../config/world/types.js';
import { ack, negativeAnswer } from '../../oicp/answers.js';
import type { Acknowledgement, ChargeDetailRecord } from '../../oicp/messages.js';
import { pageOf, readPageRequest } from '../../oicp/paging.js';
import { normalizePartnerId } from '../../oicp/patterns.js';
import { statusCode } from '../../oicp/status-codes.js';
import type { ViolationRule } from '../../shared/exchange.js';
import type { Handler, HubContext } from '../context.js';
import { forwardSafely } from '../forward-safely.js';

/** Consistency rules the spec implies but HBS does not enforce: recorded as violations, never refused. */
export function cdrConsistency(
  cdr: ChargeDetailRecord,
  sessionEvseId: string | undefined,
): Array<{ pointer: string; message: string; rule: ViolationRule }> {
  const out: Array<{ pointer: string; message: string; rule: ViolationRule }> = [];
  const t = (s: string): number => Date.parse(s);
  const order: Array<[keyof ChargeDetailRecord, keyof ChargeDetailRecord]> = [
    ['SessionStart', 'ChargingStart'],
    ['ChargingStart', 'ChargingEnd'],
    ['ChargingEnd', 'SessionEnd'],
  ];
  for (const [a, b] of order) {
    if (t(cdr[a] as string) > t(cdr[b] as string))
      out.push({
        pointer: `/${String(b)}`,
        rule: 'cdr-times',
        message: `${String(b)} ${String(cdr[b])} is before ${String(a)} ${String(cdr[a])}`,
      });
  }
  if (typeof cdr.MeterValueStart === 'number' && typeof cdr.MeterValueEnd === 'number') {
    const expected = cdr.MeterValueEnd - cdr.MeterValueStart;
    if (Math.abs(expected - cdr.ConsumedEnergy) > 0.001) {
      out.push({
        pointer: '/ConsumedEnergy',
        rule: 'cdr-energy',
        message: `ConsumedEnergy ${cdr.ConsumedEnergy} ≠ MeterValueEnd − MeterValueStart = ${expected.toFixed(3)}`,
      });
    }
  }
  if (sessionEvseId && sessionEvseId.toUpperCase() !== cdr.EvseID.toUpperCase()) {
    out.push({
      pointer: '/EvseID',
      rule: 'cdr-evse',
      message: `the session ran on ${sessionEvseId}, the CDR says ${cdr.EvseID}`,
    });
  }
  return out;
}

/** Forwards a stored CDR to the session's EMP once; a failure is not retried and leaves it NOT_FORWARDED. */
async function forwardCdr(
  hub: HubContext,
  cpo: Partner,
  cdr: ChargeDetailRecord,
  empId: string | undefined,
  causeId: string,
): Promise<void> {
  const cdrs = hub.state.cdrs;
  const emp = empId ? hub.directory.find(empId) : undefined;
  if (!emp) return cdrs.setForward(cdr.SessionID, 'NOT_FORWARDED', 'the session has no known EMP');
  if (emp.locked) return cdrs.setForward(cdr.SessionID, 'NOT_FORWARDED', `EMP ${emp.id} is locked`);
  if (!emp.serviceTypes.authorization?.onlineRequest) {
    return cdrs.setForward(
      cdr.SessionID,
      'NOT_FORWARDED',
      `EMP ${emp.id} is offline: it fetches CDRs with GetChargeDetailRecords`,
    );
  }
  // A failure inside HBS is a failed forward too: the CDR must not stay PENDING with the EMP never told.
  const result = await forwardSafely(hub, emp, 'ChargeDetailRecord', cdr, {
    causeId,
    sessionId: cdr.SessionID,
    pathIds: { operatorID: cpo.id },
  });
  if (!result.ok) return cdrs.setForward(cdr.SessionID, 'NOT_FORWARDED', result.reason);
  const answer = result.body as Acknowledgement;
  if (answer.Result) cdrs.setForward(cdr.SessionID, 'FORWARDED', `exchange ${result.exchange.id}`);
  else cdrs.setForward(cdr.SessionID, 'NOT_FORWARDED', `EMP answered Result=false with ${answer.StatusCode.Code}`);
}

/**
 * Stored and acknowledged at once, forwarded in parallel, never retried. @see OICP 2.3 CPO 02
 * (eRoamingChargeDetailRecord) and the CDR diagram of OICP 2.3 CPO 04 (Business Process Diagrams)
 */
export const chargeDetailRecord: Handler<'ChargeDetailRecord'> = async ({
  body: cdr,
  partner: cpo,
  hub,
  exchange,
  flag,
}) => {
  const session = hub.state.sessions.get(cdr.SessionID);
  const refuse = (info: string) => ({
    sessionId: cdr.SessionID,
    body: ack(false, '400', info, { SessionID: cdr.SessionID }),
  });
  if (!session)
    return refuse(
      `SessionID ${cdr.SessionID} is unknown to HBS: use the SessionID HBS gave in AuthorizeStart or the remote start`,
    );
  if (session.cpoId !== cpo.id) return refuse(`session ${cdr.SessionID} belongs to another CPO`);
  if (session.status === 'rejected') return refuse(`session ${cdr.SessionID} was never authorized`);
  const earlier = hub.state.cdrs.forSession(cdr.SessionID);
  if (earlier)
    return refuse(
      `a CDR for session ${cdr.SessionID} was already received at ${earlier.receivedAt}; one CDR per SessionID`,
    );
  for (const v of cdrConsistency(cdr, session.evseId)) flag(v.pointer, v.message, v.rule);

  const now = hub.clock.now();
  hub.state.cdrs.add({
    cdr,
    operatorId: cpo.id,
    providerId: session.empId,
    receivedAt: now.toISOString(),
    receivedAtMs: now.getTime(),
    forwardStatus: 'PENDING',
  });
  hub.state.sessions.setStatus(session, 'closed');
  session.cdrReceivedAt = now.toISOString();
  // HBS acknowledges once the CDR is stored and forwards in parallel: the CPO's answer never waits for the EMP.
  hub.background.run(() => forwardCdr(hub, cpo, cdr, session.empId, exchange.id));
  return { sessionId: cdr.SessionID, body: ack(true, '000', undefined, { SessionID: cdr.SessionID }) };
};

/** The range selects by the time HBS received the CDRs; delivered ones come again. @see OICP 2.3 EMP 02 (eRoamingGetChargeDetailRecords) */
export const getChargeDetailRecords: Handler<'GetChargeDetailRecords'> = async ({
  body,
  partner: emp,
  query,
  hub,
  flag,
}) => {
  const paging = readPageRequest(query);
  if (!paging.ok) return { httpStatus: 400, body: negativeAnswer('GetChargeDetailRecords', '022', paging.info) };
  if (paging.clampedFrom !== undefined)
    flag('', `size=${paging.clampedFrom} is over HBS's maximum page size; served ${paging.size} per page`, 'page-size');
  const from = Date.parse(body.From);
  const to = Date.parse(body.To);
  if (from > to)
    return {
      httpStatus: 400,
      body: negativeAnswer('GetChargeDetailRecords', '022', `From ${body.From} is after To ${body.To}`),
    };
  const sessions = body.SessionID?.length ? new Set(body.SessionID.map((s) => s.toLowerCase())) : undefined;
  const forwarded = body.CDRForwarded ?? body.CDRForwarder;
  const list = hub.state.cdrs
    .all()
    .filter((c) => c.providerId === emp.id && c.receivedAtMs >= from && c.receivedAtMs <= to)
    .filter((c) => !sessions || sessions.has(c.cdr.SessionID.toLowerCase()))
    .filter((c) => !body.OperatorID || normalizePartnerId(body.OperatorID) === normalizePartnerId(c.operatorId))
    .filter((c) => typeof forwarded !== 'boolean' || (c.forwardStatus === 'FORWARDED') === forwarded)
    .sort((a, b) => a.receivedAtMs - b.receivedAtMs)
    .map((c) => c.cdr);
  return { body: pageOf(list, paging.page, paging.size, statusCode('000')) };
};
