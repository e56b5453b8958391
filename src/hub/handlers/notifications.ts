import { ack } from '../../oicp/answers.js';
import type { Acknowledgement } from '../../oicp/messages.js';
import { isStatusCodeValue } from '../../oicp/status-codes.js';
import type { Handler } from '../context.js';
import { forwardSafely } from '../forward-safely.js';

const PROGRESS_MIN_INTERVAL_MS = 5 * 60_000;

/**
 * ChargingNotifications: the session must exist and be the CPO's (400); HBS forwards to the EMP and relays its
 * acknowledgement. @see OICP 2.3 CPO, 02 Services and Operations, eRoamingChargingNotifications (forwarding;
 * Progress at most every 5 min)
 */
export const chargingNotification: Handler<'ChargingNotification'> = async ({
  body,
  partner: cpo,
  hub,
  exchange,
  flag,
}) => {
  const n = body;
  const session = hub.state.sessions.get(n.SessionID);
  const refuse = (info: string) => ({
    sessionId: n.SessionID,
    body: ack(false, '400', info, { SessionID: n.SessionID }),
  });
  if (!session) return refuse(`SessionID ${n.SessionID} is unknown to HBS`);
  if (session.cpoId !== cpo.id) return refuse(`session ${n.SessionID} belongs to another CPO`);
  if (session.status === 'rejected') return refuse(`session ${n.SessionID} was never authorized`);

  if (n.Type === 'Progress') {
    const at = Date.parse(n.EventOccurred);
    const prev = session.lastProgressAtMs;
    // Wall-clock timestamps under a time scale: the 5 minutes shrink with it (less 1 s of timer jitter).
    if (prev !== undefined && at - prev < hub.clock.scale(PROGRESS_MIN_INTERVAL_MS - 1000)) {
      flag(
        '/EventOccurred',
        `Progress ${Math.round((at - prev) / 1000)} s after the previous one; OICP asks for at least 5 min`,
        'progress-interval',
      );
    }
    session.lastProgressAtMs = at;
    if (typeof n.ChargingDuration === 'number' && n.ChargingStart) {
      const expected = at - Date.parse(n.ChargingStart);
      if (Math.abs(expected - n.ChargingDuration) > 1000) {
        flag(
          '/ChargingDuration',
          `ChargingDuration ${n.ChargingDuration} ms ≠ EventOccurred − ChargingStart = ${expected} ms`,
          'charging-duration',
        );
      }
    }
  }

  const emp = session.empId ? hub.directory.find(session.empId) : undefined;
  if (!emp) return refuse(`session ${n.SessionID} has no known EMP`);
  const target = hub.forwarder.target(emp, 'ChargingNotification', {});
  if ('reason' in target) {
    return {
      sessionId: session.SessionID,
      body: ack(true, '000', `received; not forwarded: ${target.reason}`, { SessionID: session.SessionID }),
    };
  }
  const result = await forwardSafely(hub, emp, 'ChargingNotification', body, {
    causeId: exchange.id,
    sessionId: session.SessionID,
    pathIds: {},
  });
  if (!result.ok)
    return {
      sessionId: session.SessionID,
      body: ack(false, '310', `EMP ${emp.id} did not answer usably: ${result.reason}`, {
        SessionID: session.SessionID,
      }),
    };
  const answer = result.body as Acknowledgement;
  const code = isStatusCodeValue(answer.StatusCode.Code) ? answer.StatusCode.Code : '022';
  return {
    sessionId: session.SessionID,
    body: ack(answer.Result, code, answer.StatusCode.AdditionalInfo ?? undefined, { SessionID: session.SessionID }),
  };
};
