import type { Partner } from '../../config/world/types.js';
import { negativeAnswer } from '../../oicp/answers.js';
import { mediumOf, routableProvider, sameMedium, wrongMediumCode } from '../../oicp/media.js';
import type { AuthorizationStartResponse, AuthorizationStopResponse } from '../../oicp/messages.js';
import { isStatusCodeValue, statusCode } from '../../oicp/status-codes.js';
import { isoNow } from '../../shared/clock.js';
import { messageOf } from '../../shared/errors.js';
import { copyWith } from '../../shared/own-properties.js';
import type { Handler, HubContext } from '../context.js';
import type { ForwardResult } from '../forward.js';
import { forwardSafely } from '../forward-safely.js';
import { echoesSession } from './session-checks.js';

type EmpAnswer = { partner: Partner; result: ForwardResult };

/**
 * Asks every target EMP at once and resolves with the first Authorized answer, or with all answers once every EMP has
 * answered or timed out. A call that fails inside HBS (not at the EMP) counts as that EMP not answering: no call is
 * left without a rejection handler, so one bad forward cannot end the process.
 */
function firstAuthorized(
  targets: Partner[],
  ask: (emp: Partner) => Promise<ForwardResult>,
): Promise<{ winner?: EmpAnswer; all: EmpAnswer[] }> {
  return new Promise((resolve) => {
    const all: EmpAnswer[] = [];
    let settled = false;
    const settle = (a: EmpAnswer): void => {
      all.push(a);
      if (settled) return;
      if (a.result.ok && (a.result.body as AuthorizationStartResponse).AuthorizationStatus === 'Authorized') {
        settled = true;
        resolve({ winner: a, all });
      } else if (all.length === targets.length) {
        settled = true;
        resolve({ all });
      }
    };
    for (const emp of targets) {
      ask(emp).then(
        (result) => settle({ partner: emp, result }),
        (e: unknown) =>
          settle({
            partner: emp,
            result: { ok: false, failure: 'connection', reason: `HBS could not send the request: ${messageOf(e)}` },
          }),
      );
    }
  });
}

/** Which EMPs HBS asks: the one an EvcoID (or a learnt UID route) names, else every contracted EMP with broadcast. */
function onlineTargets(
  hub: HubContext,
  contracted: Partner[],
  providerHint: string | undefined,
): Partner[] | { code: '300' | '210'; info: string } {
  if (providerHint) {
    const emp = hub.directory.empForProvider(providerHint);
    if (!emp) return { code: '300', info: `no EMP with ProviderID ${providerHint}` };
    if (!contracted.some((c) => c.key === emp.key))
      return { code: '210', info: `no authorization contract between this CPO and ${emp.id}` };
    return [emp];
  }
  return contracted.filter(
    (e) => e.serviceTypes.authorization?.onlineRequest && e.serviceTypes.authorization.broadcast,
  );
}

/**
 * Uploaded authentication data first, then the EMP the medium names, else a broadcast. @see OICP 2.3 CPO 02
 * (eRoamingAuthorizeStart), the AuthorizeStart diagram of OICP 2.3 CPO 04 (Business Process Diagrams) and Hubject's
 * article on CPO Service Type Settings (Online Request, Broadcast)
 */
export const authorizeStart: Handler<'AuthorizeStart'> = async ({ body, partner: cpo, hub, exchange }) => {
  const contracted = hub.directory.counterparts(cpo, 'authorization').filter((e) => !e.locked);
  if (contracted.length === 0)
    return { body: negativeAnswer('AuthorizeStart', '210', `no EMP has an authorization contract with ${cpo.id}`) };
  const SessionID = hub.ids.sessionId();
  const medium = mediumOf(body.Identification);
  const session = hub.state.sessions.add({
    SessionID,
    origin: 'AuthorizeStart',
    cpoId: cpo.id,
    evseId: body.EvseID ?? undefined,
    identification: body.Identification,
    authorizedOffline: false,
    status: 'pending',
    createdAt: isoNow(hub.clock),
    CPOPartnerSessionID: body.CPOPartnerSessionID ?? undefined,
  });
  const echo = { SessionID, ...(body.CPOPartnerSessionID ? { CPOPartnerSessionID: body.CPOPartnerSessionID } : {}) };

  const offline = hub.state.authData.lookup(medium, new Set(contracted.map((e) => e.id)));
  if (offline) {
    Object.assign(session, { empId: offline, authorizedOffline: true, status: 'active' });
    return {
      sessionId: SessionID,
      body: copyWith(echo, {
        AuthorizationStatus: 'Authorized',
        ProviderID: offline,
        StatusCode: statusCode('000', 'authorized from uploaded authentication data'),
      }),
    };
  }

  const uidRoute = medium?.uid ? hub.state.uidRoutes.get(medium.uid) : undefined;
  const providerHint = routableProvider(medium) ?? uidRoute;
  const targets = onlineTargets(hub, contracted, providerHint);
  const refuse = (code: Parameters<typeof negativeAnswer>[1], info: string) => {
    hub.state.sessions.setStatus(session, 'rejected');
    return { sessionId: SessionID, body: copyWith(negativeAnswer('AuthorizeStart', code, info), echo) };
  };
  if (!Array.isArray(targets)) return refuse(targets.code, targets.info);
  if (targets.length === 0)
    return refuse('106', 'no uploaded authentication data matched and no contracted EMP receives broadcasts');

  const forwardBody = copyWith(body, { SessionID });
  const { winner, all } = await firstAuthorized(targets, (emp) =>
    forwardSafely(hub, emp, 'AuthorizeStart', forwardBody, {
      causeId: exchange.id,
      sessionId: SessionID,
      pathIds: { operatorID: cpo.id },
      inspect: echoesSession(SessionID),
    }),
  );
  if (winner?.result.ok) {
    const answer = winner.result.body as AuthorizationStartResponse;
    Object.assign(session, {
      empId: winner.partner.id,
      status: 'active',
      EMPPartnerSessionID: answer.EMPPartnerSessionID ?? undefined,
    });
    if (medium?.uid && !routableProvider(medium)) hub.state.uidRoutes.set(medium.uid, winner.partner.id);
    return {
      sessionId: SessionID,
      body: copyWith(echo, {
        EMPPartnerSessionID: answer.EMPPartnerSessionID || undefined,
        AuthorizationStatus: 'Authorized' as const,
        ProviderID: winner.partner.id,
        AuthorizationStopIdentifications: answer.AuthorizationStopIdentifications || undefined,
        StatusCode: answer.StatusCode,
      }),
    };
  }
  if (providerHint) {
    const only = all[0]!;
    if (!only.result.ok) return refuse('310', `EMP ${only.partner.id} did not answer usably: ${only.result.reason}`);
    const code = (only.result.body as AuthorizationStartResponse).StatusCode;
    return refuse(
      isStatusCodeValue(code.Code) ? code.Code : '106',
      code.AdditionalInfo ?? `not authorized by ${only.partner.id}`,
    );
  }
  const answers = all.map(
    (a) =>
      `${a.partner.id}: ${a.result.ok ? (a.result.body as AuthorizationStartResponse).StatusCode.Code : a.result.reason}`,
  );
  return refuse('106', `broadcast to ${targets.length} EMP(s), none authorized (${answers.join('; ')})`);
};

/**
 * The session must be valid and the CPO's; one authorized from uploaded data stops only with the same medium.
 * @see OICP 2.3 CPO 02 (eRoamingAuthorizeStop) and the AuthorizeStop diagram of OICP 2.3 CPO 04
 */
export const authorizeStop: Handler<'AuthorizeStop'> = async ({ body, partner: cpo, hub, exchange }) => {
  const session = hub.state.sessions.get(body.SessionID);
  const echo = {
    SessionID: body.SessionID,
    ...(body.CPOPartnerSessionID ? { CPOPartnerSessionID: body.CPOPartnerSessionID } : {}),
  };
  const refuse = (code: Parameters<typeof negativeAnswer>[1], info: string) => ({
    sessionId: body.SessionID,
    body: copyWith(negativeAnswer('AuthorizeStop', code, info), echo),
  });
  if (!session) return refuse('400', `SessionID ${body.SessionID} is unknown to HBS`);
  if (session.cpoId !== cpo.id) return refuse('400', `session ${body.SessionID} belongs to another CPO`);
  if (session.status === 'rejected') return refuse('400', `session ${body.SessionID} was never authorized`);
  const medium = mediumOf(body.Identification);
  if (session.authorizedOffline) {
    if (!sameMedium(mediumOf(session.identification), medium)) {
      return refuse(
        wrongMediumCode(medium),
        'a session authorized from uploaded data can only be stopped with the same medium',
      );
    }
    const ok: AuthorizationStopResponse = copyWith(echo, {
      AuthorizationStatus: 'Authorized' as const,
      ProviderID: session.empId,
      StatusCode: statusCode('000'),
    });
    return { sessionId: session.SessionID, body: ok };
  }
  const emp = session.empId ? hub.directory.find(session.empId) : undefined;
  if (!emp) return refuse('300', `the EMP of session ${session.SessionID} is not known`);
  const result = await forwardSafely(hub, emp, 'AuthorizeStop', body, {
    causeId: exchange.id,
    sessionId: session.SessionID,
    pathIds: { operatorID: cpo.id },
    inspect: echoesSession(session.SessionID),
  });
  if (!result.ok) return refuse('310', `EMP ${emp.id} did not answer usably: ${result.reason}`);
  const answer = result.body as AuthorizationStopResponse;
  return {
    sessionId: session.SessionID,
    body: copyWith(echo, {
      AuthorizationStatus: answer.AuthorizationStatus,
      ProviderID: answer.AuthorizationStatus === 'Authorized' ? emp.id : undefined,
      StatusCode: answer.StatusCode,
    }),
  };
};
