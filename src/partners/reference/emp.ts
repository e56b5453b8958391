import type { Request } from 'express';
import type { VirtualCustomer } from '../../config/world/types.js';
import type { ResponseOf } from '../../oicp/messages.js';
import { PAGE_SIZE_MAX } from '../../oicp/operations.js';
import { SimError } from '../../shared/errors.js';
import { VirtualEmp } from '../emp/emp.js';
import type { HubAnswer } from '../kit/hub-link.js';
import { field, optionalField, optionalNumber } from '../virtual/http-api.js';
import { type ReferenceOptions, type ReferencePartner, wire } from './partner.js';

/**
 * The reference EMP: an e-mobility provider backend as the OICP spec describes it. It answers AuthorizeStart/Stop
 * for its customers (NotAuthorized with 102/105 for anyone else, a session stopped only by its own medium),
 * acknowledges CDRs and charging notifications (again on a resend), starts and stops charges and reservations with
 * Hubject's SessionID, pulls every page of EVSE data (and deltas with LastCall alone), pulls statuses, fetches
 * CDRs page by page, and uploads authentication data with hashed PINs.
 *
 * Its test API (what the catalogue's EMP triggers call; bodies are JSON):
 *   POST /test/remote-start       { evseId, customer? }     customer: name or EvcoID (default the first)
 *   POST /test/remote-stop        { sessionId, evseId? }
 *   POST /test/reservation-start  { evseId, customer? }
 *   POST /test/reservation-stop   { sessionId, evseId? }
 *   POST /test/pull-evse-data     { size?, delta? }         every page; delta: only changes since the last pull
 *   POST /test/pull-evse-status   { evseIds?, operatorIds? } all, ById or ByOperatorId
 *   POST /test/get-cdrs           { size? }                 every page of the last 24 hours
 *   POST /test/push-auth-data     {}
 *   POST /test/pull-pricing       { operatorIds }           PullPricingProductData, then PullEVSEPricing
 *   GET  /test/cdrs | /test/notifications | /test/sessions
 *   GET|PUT /test/faults          { faults: [...] }
 */

export const REFERENCE_EMP_KEY = 'reference-emp';

/** Its customers; the PINs leave the EMP only hashed. */
export const REFERENCE_CUSTOMERS: VirtualCustomer[] = [
  { name: 'Dana', evcoId: 'DE-REM-C00000001-4', uid: '5A6B7C8D', pin: '1357', blocked: false },
  { name: 'Emil', evcoId: 'DE-REM-C00000002-7', uid: '11223344AABBCC', blocked: false },
];

export async function startReferenceEmp(options: ReferenceOptions): Promise<ReferencePartner> {
  const { partner, clock } = options;
  const w = wire(
    options,
    (evcoId) => REFERENCE_CUSTOMERS.find((c) => c.evcoId?.toUpperCase() === evcoId.toUpperCase())?.pin,
  );
  const emp = new VirtualEmp({
    config: { partnerKey: partner.key, providerId: partner.id, mode: 'online', customers: REFERENCE_CUSTOMERS },
    link: w.link,
    clock,
  });
  let lastPull: string | undefined;

  /** Pages 0, 1, … until the answer says it was the last (or a page fails). */
  const allPages = async <A extends HubAnswer<'PullEvseData'> | HubAnswer<'GetChargeDetailRecords'>>(
    pull: (page: number) => Promise<A>,
  ): Promise<A[]> => {
    const pages: A[] = [];
    for (let page = 0; ; page++) {
      const answer = await pull(page);
      pages.push(answer);
      const body = answer.ok ? (answer.body as ResponseOf<'PullEvseData'>) : undefined;
      if (body?.last !== false || w.misbehaviour.has('firstPageOnly') || w.misbehaviour.has('largestPageOnly'))
        return pages;
    }
  };
  const strings = (req: Request, name: string): string[] | undefined => {
    const v = (req.body as Record<string, unknown> | undefined)?.[name];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((i) => typeof i === 'string'))
      throw new SimError('SIM_INPUT', `"${name}" must be an array of strings`);
    return v as string[];
  };

  const urls = await w.listen(emp.handlers(), (route) => {
    route('post', '/remote-start', (req) =>
      emp.remoteStart({ evseId: field(req, 'evseId'), customer: optionalField(req, 'customer') }),
    );
    route('post', '/remote-stop', (req) =>
      emp.remoteStop({ sessionId: field(req, 'sessionId'), evseId: optionalField(req, 'evseId') }),
    );
    route('post', '/reservation-start', (req) =>
      emp.reservationStart({ evseId: field(req, 'evseId'), customer: optionalField(req, 'customer') }),
    );
    route('post', '/reservation-stop', (req) =>
      emp.reservationStop({ sessionId: field(req, 'sessionId'), evseId: optionalField(req, 'evseId') }),
    );
    /** The page size a pull uses: the one asked for, or always the largest with largestPageOnly. */
    const sizeOf = (req: Request): number | undefined =>
      w.misbehaviour.has('largestPageOnly') ? PAGE_SIZE_MAX : optionalNumber(req, 'size');
    route('post', '/pull-evse-data', async (req) => {
      const size = sizeOf(req);
      const delta = (req.body as { delta?: unknown } | undefined)?.delta === true;
      if (delta && !lastPull)
        throw new SimError('SIM_ACTION', 'a delta pull needs an earlier full pull (its time is the LastCall)');
      const startedAt = clock.now().toISOString();
      // LastCall stands alone: OICP forbids combining it with other filters.
      const pages = await allPages((page) =>
        emp.pullEvseData(delta ? { LastCall: lastPull } : {}, { page, ...(size ? { size } : {}) }),
      );
      if (pages.every((p) => p.ok)) lastPull = startedAt;
      return { pages: pages.length, ok: pages.every((p) => p.ok), last: pages.at(-1) };
    });
    route('post', '/pull-evse-status', (req) => {
      const operatorIds = strings(req, 'operatorIds');
      if (operatorIds?.length)
        return w.link.send('PullEvseStatusByOperatorId', { ProviderID: partner.id, OperatorID: operatorIds });
      return emp.pullEvseStatus({ evseIds: strings(req, 'evseIds') });
    });
    route('post', '/get-cdrs', async (req) => {
      const size = sizeOf(req);
      const pages = await allPages((page) => emp.getChargeDetailRecords({ page, ...(size ? { size } : {}) }));
      return { pages: pages.length, ok: pages.every((p) => p.ok), last: pages.at(-1) };
    });
    route('post', '/push-auth-data', () => emp.pushAuthenticationData());
    route('post', '/pull-pricing', async (req) => {
      const OperatorIDs = strings(req, 'operatorIds');
      if (!OperatorIDs?.length)
        throw new SimError('SIM_INPUT', '"operatorIds": the CPOs whose prices to pull, e.g. ["DE*VCP"]');
      const products = await w.link.send('PullPricingProductData', { OperatorIDs });
      const evsePricing = await w.link.send('PullEVSEPricing', { ProviderID: partner.id, OperatorIDs });
      return { products, evsePricing };
    });
    route('get', '/cdrs', () => emp.receivedCdrs());
    route('get', '/notifications', () => emp.receivedNotifications());
    route('get', '/sessions', () => emp.knownSessions());
  });
  return {
    role: 'EMP',
    partnerId: partner.id,
    ...urls,
    misbehaviour: w.misbehaviour,
    quirks: w.quirks,
    idle: async () => undefined,
    close: () => w.close(),
  };
}
