import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { OPERATIONS, type OperationId, type ServiceType } from '../../oicp/operations.js';
import { makeDirs } from '../../shared/fs.js';
import { PROFILE_SCHEMA_PATH, packagePath } from '../../shared/paths.js';
import { REFERENCE_CUSTOMERS } from './emp.js';
import type { ReferencePartner } from './partner.js';

/**
 * The partner profile a reference partner writes for itself: the worked example of how a real backend is described
 * to `hbs-sim run` — who it is, where HBS reaches it, which services it implements, the test data the catalogue
 * uses and a trigger per action only the partner can start (here: calls to its test API, with the step's `with`
 * values as the JSON body).
 */

/** Trigger name → test API route; the names are the ones the catalogue's scenarios call. */
export const CPO_TRIGGERS = {
  pushEvseData: 'push-evse-data',
  pushEvseStatus: 'push-evse-status',
  swipe: 'swipe',
  stopCharging: 'stop',
  reportError: 'report-error',
  setStatus: 'status',
  pushPricingProductData: 'push-pricing-product-data',
  pushEvsePricing: 'push-evse-pricing',
} as const;
export const EMP_TRIGGERS = {
  remoteStart: 'remote-start',
  remoteStop: 'remote-stop',
  reservationStart: 'reservation-start',
  reservationStop: 'reservation-stop',
  pullEvseData: 'pull-evse-data',
  pullEvseStatus: 'pull-evse-status',
  getChargeDetailRecords: 'get-cdrs',
  pushAuthenticationData: 'push-auth-data',
  pullPricing: 'pull-pricing',
} as const;

/** Cards of the virtual EMP's customers (simulator/virtual/virtual-emp.yaml) that a CPO under test swipes: Alice, Bob. */
const VIRTUAL_EMP_CARDS = ['04A1B2C3D4E5F6', '1A2B3C4D'];

export interface ProfileInput {
  partner: ReferencePartner;
  name: string;
  evseIds?: readonly string[];
  /** The hub checks the partner's server certificate against this CA (default: hbs-sim's certs/ca.crt). */
  serverCaFile?: string;
  /** The `hbs-sim run` command line that certifies it (time scale and port included). */
  certifyWith?: string;
}

export function referenceProfile(input: ProfileInput): Record<string, unknown> {
  const { partner } = input;
  const url = partner.oicpUrl;
  const tls = url.startsWith('https:');
  // With URLs of its own design it registers one full URL per operation of the service type, and no Service URL.
  const where = (type: ServiceType) =>
    partner.operationUrls
      ? {
          operationUrls: Object.fromEntries(
            Object.entries(partner.operationUrls).filter(([op]) => OPERATIONS[op as OperationId].serviceType === type),
          ),
        }
      : { serviceUrl: url };
  const online = (type: ServiceType, extra: object = {}) => ({
    onlineRequest: true,
    ...where(type),
    ...(tls ? { clientCertification: true } : {}),
    ...extra,
  });
  // With charge points, what happens at a station happens at them: no trigger for it.
  const atStation = new Set(partner.ocpp ? ['swipe', 'stopCharging', 'reportError', 'setStatus'] : []);
  const triggers = Object.fromEntries(
    Object.entries(partner.role === 'CPO' ? CPO_TRIGGERS : EMP_TRIGGERS)
      .filter(([name]) => !atStation.has(name))
      .map(([name, path]) => [name, { http: { url: `${partner.testUrl}/${path}` } }]),
  );
  const serviceTypes = partner.quirks.serviceTypes(
    partner.role === 'CPO'
      ? {
          authorization: online('authorization'),
          reservation: online('reservation'),
          chargingNotifications: { onlineRequest: false },
          evseData: { onlineRequest: false },
          evseStatus: { onlineRequest: false },
          dynamicPricing: { onlineRequest: false },
        }
      : {
          authorization: online('authorization', { broadcast: true }),
          chargingNotifications: online('chargingNotifications'),
          reservation: { onlineRequest: false },
          evseData: { onlineRequest: false },
          evseStatus: { onlineRequest: false },
          authenticationData: { onlineRequest: false },
          dynamicPricing: { onlineRequest: false },
        },
  );
  const testData =
    partner.role === 'CPO'
      ? { evseIds: [...(input.evseIds ?? [])], uids: VIRTUAL_EMP_CARDS }
      : {
          uids: REFERENCE_CUSTOMERS.flatMap((c) => (c.uid ? [c.uid] : [])),
          evcoIds: REFERENCE_CUSTOMERS.flatMap((c) => (c.evcoId ? [c.evcoId] : [])),
          qrCodes: REFERENCE_CUSTOMERS.flatMap((c) => (c.evcoId && c.pin ? [{ evcoId: c.evcoId, pin: c.pin }] : [])),
        };
  return {
    version: 1,
    id: partner.partnerId,
    role: partner.role,
    name: input.name,
    ...(input.serverCaFile ? { serverCaFile: input.serverCaFile } : {}),
    serviceTypes,
    testData,
    triggers,
    ...(partner.ocpp
      ? {
          ocpp: {
            url: partner.ocpp.url,
            chargePoints: partner.ocpp.chargePoints.map((cp) => ({
              id: cp.id,
              connectors: Object.fromEntries(cp.connectors.map((c) => [String(c.connectorId), c.evseId])),
            })),
          },
        }
      : {}),
  };
}

/** Writes the profile as commented YAML; paths in it are relative to the file. */
export async function writeReferenceProfile(path: string, input: ProfileInput): Promise<void> {
  const file = resolve(path);
  const profile = referenceProfile(
    input.serverCaFile ? { ...input, serverCaFile: relative(dirname(file), resolve(input.serverCaFile)) } : input,
  );
  const schema = relative(dirname(file), packagePath(PROFILE_SCHEMA_PATH));
  const header = [
    `# yaml-language-server: $schema=${schema}`,
    `#`,
    `# Partner profile written by \`hbs-sim reference ${input.partner.role.toLowerCase()}\` for itself; while it runs, certify it with`,
    `#   ${input.certifyWith ?? `npx hbs-sim run --partner ${relative(process.cwd(), file) || file}`}`,
    `# It is also the worked example for your own system: the same keys, your URLs, IDs, test data and test API.`,
    `# Triggers call its test API with the scenario step's \`with\` values as the JSON body.`,
    '',
  ].join('\n');
  makeDirs(dirname(file));
  await writeFile(file, header + stringify(profile, { lineWidth: 0 }));
}
