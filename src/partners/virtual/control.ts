import express, { type Request, type Response, type Router } from 'express';
import { hostCheck, sameSiteWrites } from '../../net/local-guards.js';
import { controlAccessGuard } from '../../net/local-only.js';
import { SimError } from '../../shared/errors.js';
import type { VirtualEmp } from '../emp/emp.js';
import { ANSWER_FAULTS, parseFaultSpec, SESSION_FAULTS } from '../kit/faults.js';
import type { VirtualStation } from '../station/station.js';
import { isStationStatus, STATION_STATUSES } from '../station/status.js';
import type { VirtualActors } from './actors.js';
import {
  BODY_LIMIT,
  bodyObject,
  field,
  jsonErrors,
  jsonRoute,
  NotFound,
  optionalField,
  optionalNumber,
  paging,
  param,
  query,
} from './http-api.js';

/**
 * The virtual actors' actions over HTTP under `/_sim` (off the OICP paths, loopback callers only), so a developer
 * exploring with `hbs-sim serve` can plug in, swipe a card, start and stop charges or arm a fault with curl.
 * Every answer is JSON; a refused action is `{error:{code,message}}` with 400/404/409, never a stack trace.
 * @see README "Virtual counterparts" for each route with a curl example.
 */

export const CONTROL_PREFIX = '/_sim';

/** The hub's configured listen host: besides loopback names, the only name a Host header may carry. */
export interface ControlOptions {
  host: string;
  /** Lets callers on other machines in when they send `Authorization: Bearer <controlToken>`. */
  controlToken?: string;
}

export function controlRouter(
  actorsOf: () => VirtualActors | undefined,
  options: ControlOptions = { host: '127.0.0.1' },
): Router {
  const router = express.Router();
  router.use(
    controlAccessGuard({ token: options.controlToken }),
    hostCheck(options.host),
    sameSiteWrites(options.host),
    express.json({ limit: BODY_LIMIT }),
  );

  const actors = (): VirtualActors => {
    const a = actorsOf();
    if (!a) throw new SimError('SIM_ACTION', 'the virtual actors are not running (hbs-sim serve --no-virtual?)');
    return a;
  };
  const stationFor = (evseId: string): VirtualStation => {
    const s = actors().stations.find((st) => st.hasEvse(evseId));
    if (!s) throw new NotFound(`no virtual station has EVSE ${evseId}; GET ${CONTROL_PREFIX}/stations lists them`);
    return s;
  };
  const empFor = (ref: string): VirtualEmp => {
    const e = actors().emp(ref);
    if (!e) throw new NotFound(`no virtual EMP ${ref}; GET ${CONTROL_PREFIX}/emps lists them`);
    return e;
  };
  const route = jsonRoute(router);

  route('get', '/', () => ({
    stations: actors().stations.map((s) => ({ key: s.key, OperatorID: s.operatorId, evses: s.view() })),
    emps: actors().emps.map(describeEmp),
    faults: actors().faults.list(),
    faultKinds: { ...ANSWER_FAULTS, ...SESSION_FAULTS },
    statuses: STATION_STATUSES,
  }));

  route('get', '/stations', () =>
    actors().stations.map((s) => ({ key: s.key, OperatorID: s.operatorId, evses: s.view() })),
  );
  route('get', '/evses/:evseId', (req) => {
    const s = stationFor(param(req, 'evseId'));
    return {
      ...s.view().find((v) => v.EvseID.toUpperCase() === param(req, 'evseId').toUpperCase()),
      activity: s.activity.list({ subject: param(req, 'evseId') }),
    };
  });
  route('post', '/evses/:evseId/plug', (req) => stationFor(param(req, 'evseId')).plug(param(req, 'evseId')));
  route('post', '/evses/:evseId/unplug', (req) => stationFor(param(req, 'evseId')).unplug(param(req, 'evseId')));
  route('post', '/evses/:evseId/stop', (req) => stationFor(param(req, 'evseId')).stop(param(req, 'evseId')));
  route('post', '/evses/:evseId/swipe', (req) =>
    stationFor(param(req, 'evseId')).swipe(param(req, 'evseId'), field(req, 'uid')),
  );
  route('post', '/evses/:evseId/scan-qr', (req) =>
    stationFor(param(req, 'evseId')).scanQr(param(req, 'evseId'), field(req, 'evcoId'), optionalField(req, 'pin')),
  );
  route('post', '/evses/:evseId/error', (req) =>
    stationFor(param(req, 'evseId')).reportError(
      param(req, 'evseId'),
      field(req, 'errorType'),
      optionalField(req, 'info'),
    ),
  );
  route('post', '/evses/:evseId/status', (req) => {
    const status = field(req, 'status');
    if (!isStationStatus(status))
      throw new SimError('SIM_INPUT', `status must be one of ${STATION_STATUSES.join(', ')}`);
    return stationFor(param(req, 'evseId')).setStatus(param(req, 'evseId'), status);
  });
  route('get', '/stations/:key/activity', (req) => {
    const s = actors().station(param(req, 'key'));
    if (!s) throw new NotFound(`no virtual station ${param(req, 'key')}`);
    return s.activity.list({ subject: query(req, 'subject'), kind: query(req, 'kind') });
  });

  route('get', '/emps', () => actors().emps.map(describeEmp));
  route('get', '/emps/:key/cdrs', (req) => empFor(param(req, 'key')).receivedCdrs());
  route('get', '/emps/:key/notifications', (req) =>
    empFor(param(req, 'key')).receivedNotifications(query(req, 'sessionId')),
  );
  route('get', '/emps/:key/activity', (req) =>
    empFor(param(req, 'key')).activity.list({ subject: query(req, 'subject'), kind: query(req, 'kind') }),
  );
  route('post', '/emps/:key/remote-start', (req) =>
    empFor(param(req, 'key')).remoteStart({ evseId: field(req, 'evseId'), customer: optionalField(req, 'customer') }),
  );
  route('post', '/emps/:key/remote-stop', (req) =>
    empFor(param(req, 'key')).remoteStop({ sessionId: field(req, 'sessionId'), evseId: optionalField(req, 'evseId') }),
  );
  route('post', '/emps/:key/reservation-start', (req) =>
    empFor(param(req, 'key')).reservationStart({
      evseId: field(req, 'evseId'),
      customer: optionalField(req, 'customer'),
      durationMinutes: optionalNumber(req, 'durationMinutes'),
    }),
  );
  route('post', '/emps/:key/reservation-stop', (req) =>
    empFor(param(req, 'key')).reservationStop({
      sessionId: field(req, 'sessionId'),
      evseId: optionalField(req, 'evseId'),
    }),
  );
  route('post', '/emps/:key/pull-evse-data', (req) => {
    const { page: _page, size: _size, ...filters } = bodyObject(req);
    return empFor(param(req, 'key')).pullEvseData(filters, paging(req));
  });
  route('post', '/emps/:key/pull-evse-status', (req) => {
    const ids = (req.body as { evseIds?: unknown } | undefined)?.evseIds;
    if (ids !== undefined && !(Array.isArray(ids) && ids.every((i) => typeof i === 'string')))
      throw new SimError('SIM_INPUT', 'evseIds must be an array of EvseIDs');
    return empFor(param(req, 'key')).pullEvseStatus({ evseIds: ids as string[] | undefined });
  });
  route('post', '/emps/:key/get-cdrs', (req) =>
    empFor(param(req, 'key')).getChargeDetailRecords({
      from: optionalField(req, 'from'),
      to: optionalField(req, 'to'),
      ...paging(req),
    }),
  );
  route('post', '/emps/:key/push-auth-data', (req) => empFor(param(req, 'key')).pushAuthenticationData());

  route('get', '/faults', () => actors().faults.list());
  route('post', '/faults', (req) => {
    const spec = parseFaultSpec(req.body);
    const a = actors();
    if (spec.actor && !a.station(spec.actor) && !a.emp(spec.actor))
      throw new NotFound(`no virtual actor ${spec.actor}`);
    return a.faults.arm(spec);
  });
  route('delete', '/faults', () => ({ cleared: actors().faults.clear() }));
  route('delete', '/faults/:id', (req) => {
    const cleared = actors().faults.clear(param(req, 'id'));
    if (cleared === 0) throw new NotFound(`no armed fault ${param(req, 'id')}`);
    return { cleared };
  });

  router.use((req: Request, res: Response) => {
    res.status(404).json({
      error: {
        code: 'SIM_ACTION',
        message: `no control route ${req.method} ${CONTROL_PREFIX}${req.path}; GET ${CONTROL_PREFIX} shows the actors`,
      },
    });
  });
  router.use(jsonErrors);
  return router;
}

function describeEmp(e: VirtualEmp) {
  return { key: e.key, ProviderID: e.providerId, mode: e.mode, customers: e.customers(), sessions: e.knownSessions() };
}
