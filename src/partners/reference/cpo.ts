import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';
import type { VirtualStationConfig } from '../../config/world/types.js';
import { VIRTUAL_DEFAULTS } from '../../config/world/virtual-schema.js';
import type { EvseDataRecord } from '../../oicp/messages.js';
import type { PushEVSEPricingRequest, PushPricingProductDataRequest } from '../../oicp/schemas/pricing.js';
import { SimError } from '../../shared/errors.js';
import { FaultBook } from '../kit/faults.js';
import { type StationChargePoints, VirtualStation } from '../station/station.js';
import { isStationStatus, STATION_STATUSES } from '../station/status.js';
import { field, optionalField } from '../virtual/http-api.js';
import { type ReferenceCsms, startReferenceCsms } from './csms.js';
import { type ReferenceOptions, type ReferencePartner, wire } from './partner.js';

/**
 * The reference CPO: a charging station operator backend as the OICP spec describes it. It pushes its EVSE data and
 * statuses (one push at a time), answers AuthorizeRemoteStart/Stop and reservations with the specific codes
 * (603 unknown EVSE, 602 in use, 700 out of service, 601 reserved), authorizes RFID cards through HBS, and sends
 * Start/Progress/End notifications (and Error when a charge fails) and one CDR per session carrying Hubject's SessionID.
 *
 * Its test API (what the catalogue's CPO triggers call; bodies are JSON):
 *   POST /test/push-evse-data   { action?: fullLoad|insert|update|delete, evseIds?: [...] }
 *   POST /test/push-evse-status { evseIds?: [...] }          fullLoad, or an update of these EVSEs
 *   POST /test/swipe            { evseId, uid }              a card at the reader: AuthorizeStart, or Stop when charging
 *   POST /test/stop             { evseId }                   the driver ends the charge at the station
 *   POST /test/report-error     { evseId, errorType, info? } a fault during the charge: Error notification, then the end
 *   POST /test/plug | /unplug   { evseId }
 *   POST /test/status           { evseId, status }           e.g. OutOfService, pushed as an update
 *   POST /test/push-pricing-product-data | /push-evse-pricing   its prices (dynamic pricing), fullLoad
 *   GET  /test/evses            the EVSEs, their sessions and meters
 *   GET|PUT /test/faults        { faults: [...] }            switch faults (see --list-faults)
 */

export const REFERENCE_CPO_KEY = 'reference-cpo';

export interface ReferenceCpoData {
  /** EvseDataRecord objects: simulator/reference/reference-cpo.evse.json. */
  evseData: EvseDataRecord[];
  /** Its dynamic prices: simulator/reference/reference-cpo.pricing.json. */
  pricing: {
    PricingProductData: PushPricingProductDataRequest['PricingProductData'];
    EVSEPricing: PushEVSEPricingRequest['EVSEPricing'];
  };
}

/** The reference CPO's EVSEs and prices, from the world folder's reference/ files. */
export async function referenceCpoData(worldDir: string): Promise<ReferenceCpoData> {
  const read = async (name: string, what: string): Promise<Record<string, unknown>> => {
    const file = join(worldDir, 'reference', `${REFERENCE_CPO_KEY}.${name}.json`);
    const text = await readFile(file, 'utf8').catch(() => {
      throw new SimError('SIM_START', `${file} not found: the reference CPO's ${what}`);
    });
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new SimError('SIM_START', `${file} is not JSON: ${(e as Error).message}`);
    }
  };
  const evse = await read('evse', 'EVSE data (an {"EvseDataRecord": [...]} file)');
  const pricing = await read('pricing', 'prices (PricingProductData and EVSEPricing)');
  const records = evse.EvseDataRecord;
  if (!Array.isArray(records) || records.length === 0)
    throw new SimError('SIM_START', `reference/${REFERENCE_CPO_KEY}.evse.json has no EvseDataRecord`);
  if (!pricing.PricingProductData || !Array.isArray(pricing.EVSEPricing))
    throw new SimError(
      'SIM_START',
      `reference/${REFERENCE_CPO_KEY}.pricing.json needs PricingProductData and EVSEPricing`,
    );
  return { evseData: records, pricing: pricing as unknown as ReferenceCpoData['pricing'] };
}

export async function startReferenceCpo(options: ReferenceOptions & ReferenceCpoData): Promise<ReferencePartner> {
  const { partner, clock, logger } = options;
  const w = wire(options);
  const config: VirtualStationConfig = {
    partnerKey: partner.key,
    operatorId: partner.id,
    operatorName: partner.name,
    evseData: options.evseData,
    evses: Object.fromEntries(
      options.evseData.map((r) => [
        (r as { EvseID: string }).EvseID,
        { status: 'Available' as const, meterStartKWh: VIRTUAL_DEFAULTS.meterStartKWh },
      ]),
    ),
    // The virtual station's defaults are the spec's figures (Progress every 5 min, CDR 1 s after the session).
    vehiclePowerKw: VIRTUAL_DEFAULTS.vehiclePowerKw,
    autoPlug: VIRTUAL_DEFAULTS.autoPlug,
    plugDelaySeconds: VIRTUAL_DEFAULTS.plugDelaySeconds,
    plugTimeoutSeconds: VIRTUAL_DEFAULTS.plugTimeoutSeconds,
    progressIntervalSeconds: w.quirks.progressIntervalSeconds(VIRTUAL_DEFAULTS.progressIntervalSeconds),
    cdrDelaySeconds: VIRTUAL_DEFAULTS.cdrDelaySeconds,
  };
  // With a CSMS, HBS's remote starts and stops go to the EVSE's charge point first (the CSMS starts after the station).
  let csms: ReferenceCsms | undefined;
  const chargePoints: StationChargePoints | undefined = options.ocpp
    ? {
        remoteStart: (evseId, session) => csms?.remoteStart(evseId, session) ?? Promise.resolve('unreachable'),
        remoteStop: (evseId) => csms?.remoteStop(evseId) ?? Promise.resolve('unreachable'),
      }
    : undefined;
  const station = new VirtualStation({
    config,
    link: w.link,
    faults: new FaultBook(),
    clock,
    logger,
    ...(chargePoints ? { chargePoints } : {}),
  });
  const evseIds = (req: Request): string[] | undefined => {
    const v = (req.body as { evseIds?: unknown } | undefined)?.evseIds;
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((i) => typeof i === 'string'))
      throw new SimError('SIM_INPUT', '"evseIds" must be an array of EvseIDs');
    return v as string[];
  };
  const urls = await w.listen(station.handlers(), (route) => {
    route('post', '/push-evse-data', (req) => {
      const action = optionalField(req, 'action') ?? 'fullLoad';
      if (!['fullLoad', 'insert', 'update', 'delete'].includes(action))
        throw new SimError('SIM_INPUT', '"action" is one of fullLoad, insert, update, delete');
      return station.pushEvseData(action as 'fullLoad', evseIds(req));
    });
    route('post', '/push-evse-status', (req) => station.pushEvseStatus(evseIds(req)));
    route('post', '/swipe', (req) => station.swipe(field(req, 'evseId'), field(req, 'uid')));
    route('post', '/stop', (req) => station.stop(field(req, 'evseId')));
    route('post', '/report-error', (req) =>
      station.reportError(field(req, 'evseId'), field(req, 'errorType'), optionalField(req, 'info')),
    );
    route('post', '/plug', (req) => station.plug(field(req, 'evseId')));
    route('post', '/unplug', (req) => station.unplug(field(req, 'evseId')));
    route('post', '/status', (req) => {
      const status = field(req, 'status');
      if (!isStationStatus(status))
        throw new SimError('SIM_INPUT', `"status" is one of ${STATION_STATUSES.join(', ')}`);
      return station.setStatus(field(req, 'evseId'), status);
    });
    route('get', '/evses', () => station.view());
    // Dynamic pricing: the products, then which EVSE offers which (one push after the other, like every push).
    route('post', '/push-pricing-product-data', () =>
      w.link.send('PushPricingProductData', {
        ActionType: 'fullLoad',
        PricingProductData: options.pricing.PricingProductData,
      }),
    );
    route('post', '/push-evse-pricing', () =>
      w.link.send('PushEVSEPricing', { ActionType: 'fullLoad', EVSEPricing: options.pricing.EVSEPricing }),
    );
  });
  try {
    if (options.ocpp)
      csms = await startReferenceCsms(
        station,
        station.view().map((e) => e.EvseID),
        { clock, logger, faults: w.misbehaviour },
      );
  } catch (e) {
    await station.close();
    await w.close();
    throw e;
  }
  return {
    role: 'CPO',
    partnerId: partner.id,
    ...urls,
    ...(csms ? { ocpp: { url: csms.url, chargePoints: csms.chargePoints } } : {}),
    misbehaviour: w.misbehaviour,
    quirks: w.quirks,
    idle: () => station.idle(),
    close: async () => {
      w.interrupt();
      await csms?.close();
      await station.close();
      await w.close();
    },
  };
}
