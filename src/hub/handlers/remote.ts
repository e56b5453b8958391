import { ack } from '../../oicp/answers.js';
import type { Acknowledgement } from '../../oicp/messages.js';
import type { ServiceType } from '../../oicp/operations.js';
import { operatorOfEvseId } from '../../oicp/patterns.js';
import { isStatusCodeValue } from '../../oicp/status-codes.js';
import { isoNow } from '../../shared/clock.js';
import { copyWith } from '../../shared/own-properties.js';
import type { Handler, OperationRequest } from '../context.js';
import { forwardSafely } from '../forward-safely.js';
import type { SessionOrigin } from '../state/sessions.js';
import { echoesSession } from './session-checks.js';

type StartOp = 'AuthorizeRemoteStart' | 'AuthorizeRemoteReservationStart';
type StopOp = 'AuthorizeRemoteStop' | 'AuthorizeRemoteReservationStop';
/** The four remote operations all answer with an acknowledgement, so one handler serves a start or a stop pair. */
type AckHandler<O extends StartOp | StopOp> = (
  req: OperationRequest<O>,
) => Promise<{ body: Acknowledgement; sessionId?: string }>;

/** Relays the CPO's acknowledgement to the EMP, keeping the hub's SessionID and both partner session IDs. */
function relay(answer: Acknowledgement, SessionID: string, EMPPartnerSessionID: string | null | undefined) {
  const code = isStatusCodeValue(answer.StatusCode.Code) ? answer.StatusCode.Code : '022';
  return ack(answer.Result, code, answer.StatusCode.AdditionalInfo ?? undefined, {
    SessionID,
    CPOPartnerSessionID: answer.CPOPartnerSessionID,
    EMPPartnerSessionID: EMPPartnerSessionID ?? answer.EMPPartnerSessionID,
  });
}

/**
 * Remote start and reservation start share HBS's checks: CPO from the EvseID (300) → not locked (017) → contract
 * (210) → EVSE known (603) and Hubject compatible (604) if the CPO uploaded data → SessionID → forward within the
 * remote-start timeout (310). @see OICP 2.3 CPO, 02 Services and Operations, eRoamingAuthorizeRemoteStart;
 * 04 Business Process Diagrams (AuthorizeRemoteStart)
 */
function startHandler(operation: StartOp, service: ServiceType, origin: SessionOrigin): AckHandler<StartOp> {
  return async (req) => {
    const { body, partner: emp, hub, exchange, flag } = req;
    const b = body as OperationRequest<'AuthorizeRemoteStart'>['body'];
    const operatorId = operatorOfEvseId(b.EvseID);
    const cpo = operatorId ? hub.directory.cpoForOperator(operatorId) : undefined;
    if (!cpo)
      return { body: ack(false, '300', `no CPO with OperatorID ${operatorId ?? '?'} (from EvseID ${b.EvseID})`) };
    if (cpo.locked) return { body: ack(false, '017', `CPO ${cpo.id} is locked`) };
    if (!hub.directory.contracted(cpo.id, emp.id, service)) {
      return { body: ack(false, '210', `no ${service} contract between ${cpo.id} and ${emp.id}`) };
    }
    if (hub.state.evseData.hasUploaded(cpo.id)) {
      const evse = hub.state.evseData.get(b.EvseID);
      if (!evse || evse.operatorId !== cpo.id)
        return { body: ack(false, '603', `EvseID ${b.EvseID} is not in ${cpo.id}'s EVSE data`) };
      if (evse.record.IsHubjectCompatible === false)
        return { body: ack(false, '604', `EVSE ${b.EvseID} is marked IsHubjectCompatible=false`) };
    }
    if (b.SessionID)
      flag(
        '/SessionID',
        'the EMP should not fill SessionID; HBS generates it and ignored this one',
        'session-id-by-hbs',
      );
    const SessionID = hub.ids.sessionId();
    const session = hub.state.sessions.add({
      SessionID,
      origin,
      cpoId: cpo.id,
      empId: emp.id,
      evseId: b.EvseID,
      identification: b.Identification,
      authorizedOffline: false,
      status: 'pending',
      createdAt: isoNow(hub.clock),
      EMPPartnerSessionID: b.EMPPartnerSessionID ?? undefined,
    });
    const result = await forwardSafely(hub, cpo, operation, copyWith(b, { SessionID }), {
      causeId: exchange.id,
      sessionId: SessionID,
      pathIds: { providerID: emp.id },
      inspect: echoesSession(SessionID),
    });
    if (!result.ok) {
      hub.state.sessions.setStatus(session, 'rejected');
      return {
        sessionId: SessionID,
        body: ack(false, '310', `CPO ${cpo.id} did not answer usably: ${result.reason}`, { SessionID }),
      };
    }
    const answer = result.body as Acknowledgement;
    hub.state.sessions.setStatus(session, answer.Result ? 'active' : 'rejected');
    if (answer.CPOPartnerSessionID) session.CPOPartnerSessionID = answer.CPOPartnerSessionID;
    return { sessionId: SessionID, body: relay(answer, SessionID, b.EMPPartnerSessionID) };
  };
}

/** Remote stop and reservation stop: the session must exist and be the EMP's (400), then forward to its CPO. */
function stopHandler(operation: StopOp, kind: 'start' | 'reservation'): AckHandler<StopOp> {
  return async (req) => {
    const { body, partner: emp, hub, exchange, flag } = req;
    const b = body as OperationRequest<'AuthorizeRemoteStop'>['body'];
    const session = hub.state.sessions.get(b.SessionID);
    const refuse = (info: string) => ({
      sessionId: b.SessionID,
      body: ack(false, '400', info, { SessionID: b.SessionID }),
    });
    if (!session) return refuse(`SessionID ${b.SessionID} is unknown to HBS`);
    if (session.empId !== emp.id) return refuse(`session ${b.SessionID} does not belong to ${emp.id}`);
    if (session.status === 'rejected') return refuse(`session ${b.SessionID} was never started`);
    if ((kind === 'reservation') !== (session.origin === 'AuthorizeRemoteReservationStart')) {
      return refuse(
        `session ${b.SessionID} is ${session.origin === 'AuthorizeRemoteReservationStart' ? 'a reservation' : 'not a reservation'}; use ${kind === 'reservation' ? 'AuthorizeRemoteStop' : 'AuthorizeRemoteReservationStop'}`,
      );
    }
    if (session.evseId && session.evseId.toUpperCase() !== b.EvseID.toUpperCase()) {
      flag('/EvseID', `session ${session.SessionID} runs on ${session.evseId}, not ${b.EvseID}`, 'stop-evse');
    }
    const cpo = hub.directory.find(session.cpoId);
    if (!cpo) return refuse(`the CPO of session ${b.SessionID} is not known`);
    if (cpo.locked)
      return {
        sessionId: session.SessionID,
        body: ack(false, '320', `CPO ${cpo.id} is locked`, { SessionID: session.SessionID }),
      };
    const result = await forwardSafely(hub, cpo, operation, b, {
      causeId: exchange.id,
      sessionId: session.SessionID,
      pathIds: { providerID: emp.id },
      inspect: echoesSession(session.SessionID),
    });
    if (!result.ok) {
      return {
        sessionId: session.SessionID,
        body: ack(false, '310', `CPO ${cpo.id} did not answer usably: ${result.reason}`, {
          SessionID: session.SessionID,
        }),
      };
    }
    const answer = result.body as Acknowledgement;
    if (answer.Result && kind === 'reservation') session.reservationStopped = true;
    return { sessionId: session.SessionID, body: relay(answer, session.SessionID, b.EMPPartnerSessionID) };
  };
}

export const authorizeRemoteStart: Handler<'AuthorizeRemoteStart'> = startHandler(
  'AuthorizeRemoteStart',
  'authorization',
  'AuthorizeRemoteStart',
);
export const authorizeRemoteReservationStart: Handler<'AuthorizeRemoteReservationStart'> = startHandler(
  'AuthorizeRemoteReservationStart',
  'reservation',
  'AuthorizeRemoteReservationStart',
);
export const authorizeRemoteStop: Handler<'AuthorizeRemoteStop'> = stopHandler('AuthorizeRemoteStop', 'start');
export const authorizeRemoteReservationStop: Handler<'AuthorizeRemoteReservationStop'> = stopHandler(
  'AuthorizeRemoteReservationStop',
  'reservation',
);
