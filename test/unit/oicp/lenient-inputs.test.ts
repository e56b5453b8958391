import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../src/oicp/messages.js';
import { OPERATION_IDS, type OperationId } from '../../../src/oicp/operations.js';
import { validateMessage } from '../../../src/oicp/validate.js';
import { chargeDetailRecord, chargeDetailRecordsPage, getChargeDetailRecordsRequest } from './fixtures/cdr.js';
import { evseDataRecordPulled, pullEvseDataResponse, pushEvseDataRequest } from './fixtures/evse-data.js';
import { SESSION_ID } from './fixtures/ids.js';
import { asJson, setAt, VALID } from './fixtures/index.js';
import { notificationEnd, notificationError, notificationStart } from './fixtures/notifications.js';
import { pushPricingProductDataRequest } from './fixtures/pricing.js';
import { reservationStartRequest, reservationStopRequest } from './fixtures/reservation.js';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const errorsOf = (op: OperationId, side: 'request' | 'response', body: unknown) =>
  validateMessage(op, side, body).filter((v) => v.severity === 'error');

/** The schema describing `data`: the non-null branch of `Opt(x)`, or the Type-selected notification branch. */
function resolve(schema: Node, data: unknown): Node | undefined {
  if (Array.isArray(schema['oneOf']) && isNode(data)) {
    return schema['oneOf']
      .filter(isNode)
      .find(
        (b) =>
          isNode(b['properties']) &&
          isNode(b['properties']['Type']) &&
          b['properties']['Type']['const'] === data['Type'],
      );
  }
  if (Array.isArray(schema['anyOf']) && schema['properties'] === undefined) {
    return schema['anyOf'].filter(isNode).find((b) => b['type'] !== 'null');
  }
  return schema;
}

/** Pointers of every optional property, present or not, of every object in `data`, at any depth. */
function optionalPointers(schema: unknown, data: unknown, pointer = ''): string[] {
  const node = isNode(schema) ? resolve(schema, data) : undefined;
  if (node === undefined) return [];
  if (Array.isArray(data)) return data.flatMap((item, i) => optionalPointers(node['items'], item, `${pointer}/${i}`));
  if (!isNode(data) || !isNode(node['properties'])) return [];
  // Members of a rule (exactly one medium, at least one amount/notation) are optional only as a group.
  const grouped = [node['oneOf'], node['anyOf']]
    .flatMap((branches) => (Array.isArray(branches) ? branches : []))
    .flatMap((b: unknown) => (isNode(b) && Array.isArray(b['required']) ? b['required'] : []));
  const required = Array.isArray(node['required']) ? [...node['required'], ...grouped] : grouped;
  return Object.entries(node['properties']).flatMap(([name, child]) => [
    ...(required.includes(name) ? [] : [`${pointer}/${name}`]),
    ...optionalPointers(child, data[name], `${pointer}/${name}`),
  ]);
}

const NOTIFICATIONS = [notificationStart, notificationEnd, notificationError];
const SIDES = OPERATION_IDS.flatMap((op) => (['request', 'response'] as const).map((side) => [op, side] as const));

describe('explicit null in optional fields (HBS sends them)', () => {
  it.each(SIDES)('accepts null in each optional field, at any depth, of %s %s', (op, side) => {
    const bodies =
      op === 'ChargingNotification' && side === 'request'
        ? [VALID[op][side](), ...NOTIFICATIONS.map((build) => build())]
        : [VALID[op][side]()];
    for (const built of bodies) {
      // One at a time: nulling both Progress amounts together is a violation of its own.
      for (const pointer of optionalPointers(MESSAGES[op][side], asJson(built))) {
        expect(errorsOf(op, side, setAt(asJson(built), pointer, null)), pointer).toEqual([]);
      }
    }
  });

  it('covers hundreds of optional fields with that check', () => {
    const count = SIDES.reduce(
      (n, [op, side]) => n + optionalPointers(MESSAGES[op][side], asJson(VALID[op][side]())).length,
      0,
    );
    expect(count).toBeGreaterThan(200);
  });

  it("accepts the null-laden answer shape of the examples in Hubject's OICP 2.3 integration guide", () => {
    const answer = {
      SessionID: SESSION_ID,
      CPOPartnerSessionID: null,
      EMPPartnerSessionID: null,
      ProviderID: null,
      AuthorizationStatus: 'NotAuthorized',
      StatusCode: { Code: '102', Description: null, AdditionalInfo: null },
      AuthorizationStopIdentifications: null,
    };
    expect(validateMessage('AuthorizeStart', 'response', answer)).toEqual([]);
  });

  it('accepts an Identification whose other four media are null', () => {
    const body = asJson(VALID.AuthorizeStart.request());
    body['Identification'] = {
      RFIDMifareFamilyIdentification: { UID: '04A2B3C4D5E6F7' },
      RFIDIdentification: null,
      QRCodeIdentification: null,
      PlugAndChargeIdentification: null,
      RemoteIdentification: null,
    };
    expect(validateMessage('AuthorizeStart', 'request', body)).toEqual([]);
  });

  it('accepts null for legacy Plugs, Accessibility and PowerType in pulled records only', () => {
    const pulled = asJson(pullEvseDataResponse());
    setAt(pulled, '/content/0/Accessibility', null);
    setAt(pulled, '/content/0/Plugs/0', null);
    setAt(pulled, '/content/0/ChargingFacilities/0/PowerType', null);
    expect(errorsOf('PullEvseData', 'response', pulled)).toEqual([]);
    const pushed = setAt(asJson(pushEvseDataRequest()), '/OperatorEvseData/EvseDataRecord/0/Accessibility', null);
    expect(errorsOf('PushEvseData', 'request', pushed).map((e) => e.pointer)).toEqual([
      '/OperatorEvseData/EvseDataRecord/0/Accessibility',
    ]);
  });

  it('accepts a fractional Power in pulled records (the EMP OpenAPI declares a number)', () => {
    const pulled = setAt(asJson(pullEvseDataResponse()), '/content/0/ChargingFacilities/0/Power', 3.7);
    expect(errorsOf('PullEvseData', 'response', pulled)).toEqual([]);
  });
});

describe('unknown properties', () => {
  it('yields a warning, not an error, and suggests the declared spelling', () => {
    const body = { ...VALID.PullEvseStatus.request(), EvseStatus: 'Available' };
    expect(validateMessage('PullEvseStatus', 'request', body)).toEqual([
      {
        pointer: '/EvseStatus',
        severity: 'warning',
        message:
          'unknown property EvseStatus is not part of this OICP message and is ignored (did you mean EVSEStatus?)',
      },
    ]);
  });

  it('finds them inside arrays, nested objects and identification media', () => {
    const body = asJson(pullEvseDataResponse());
    setAt(body, '/content/0/OperatorId', 'DE*ABC');
    setAt(body, '/content/0/Address/Floors', '2');
    setAt(body, '/StatusCode/Message', 'ok');
    expect(validateMessage('PullEvseData', 'response', body).map((v) => [v.severity, v.pointer])).toEqual([
      ['warning', '/content/0/Address/Floors'],
      ['warning', '/content/0/OperatorId'],
      ['warning', '/StatusCode/Message'],
    ]);
    const cdr = setAt(
      asJson(chargeDetailRecord()),
      '/Identification/RFIDMifareFamilyIdentification/PrintedNumber',
      '42',
    );
    expect(validateMessage('ChargeDetailRecord', 'request', cdr)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        pointer: '/Identification/RFIDMifareFamilyIdentification/PrintedNumber',
      }),
    ]);
  });

  it('judges a notification by the properties of its own Type', () => {
    const start = { ...notificationStart(), EventOccurred: '2024-05-01T10:09:00+02:00' };
    expect(validateMessage('ChargingNotification', 'request', start)).toEqual([
      expect.objectContaining({ severity: 'warning', pointer: '/EventOccurred' }),
    ]);
  });

  it('does not guess at properties when the notification Type is unknown', () => {
    const body = { ...notificationStart(), Type: 'Pause', Whatever: 1 };
    expect(validateMessage('ChargingNotification', 'request', body).map((v) => v.severity)).toEqual(['error']);
  });
});

describe('documented alternative spellings (where the OpenAPI, the spec text and the examples disagree)', () => {
  const cases: [string, OperationId, 'request' | 'response', () => unknown][] = [
    [
      'ChargingStationId (OpenAPI) besides ChargingStationID',
      'PushEvseData',
      'request',
      () => setAt(asJson(pushEvseDataRequest()), '/OperatorEvseData/EvseDataRecord/0/ChargingStationId', 'STATION-1'),
    ],
    [
      'HubProviderId (EMP OpenAPI) instead of HubProviderID',
      'ChargeDetailRecord',
      'request',
      () => ({ ...chargeDetailRecord(), HubProviderID: undefined, HubProviderId: 'DE-DCB' }),
    ],
    [
      'HubProviderId inside a CDR page',
      'GetChargeDetailRecords',
      'response',
      () => setAt(asJson(chargeDetailRecordsPage()), '/content/0/HubProviderId', 'DE-DCB'),
    ],
    [
      'CDRForwarder (EMP OpenAPI) instead of CDRForwarded',
      'GetChargeDetailRecords',
      'request',
      () => ({ ...getChargeDetailRecordsRequest(), CDRForwarded: undefined, CDRForwarder: false }),
    ],
    [
      'Period (OICP 2.3 CPO 03 Data Types) instead of Periods in pricing',
      'PushPricingProductData',
      'request',
      () => {
        const body = asJson(pushPricingProductDataRequest());
        setAt(body, '/PricingProductData/PricingProductDataRecords/0/ProductAvailabilityTimes/0/Period', [
          { begin: '06:00', end: '22:00' },
        ]);
        return setAt(
          body,
          '/PricingProductData/PricingProductDataRecords/0/ProductAvailabilityTimes/0/Periods',
          undefined,
        );
      },
    ],
    [
      'EMPPartnerSessionId (reservation OpenAPI) on a reservation start',
      'AuthorizeRemoteReservationStart',
      'request',
      () => ({ ...reservationStartRequest(), EMPPartnerSessionId: 'emp-1' }),
    ],
    [
      'EMPPartnerSessionID (examples) on a reservation stop',
      'AuthorizeRemoteReservationStop',
      'request',
      () => ({ ...reservationStopRequest(), EMPPartnerSessionID: 'emp-1' }),
    ],
  ];

  it.each(cases)('accepts %s without any violation', (_, op, side, build) => {
    expect(validateMessage(op, side, JSON.parse(JSON.stringify(build())))).toEqual([]);
  });

  it('still checks the pulled record the alternative spelling sits in', () => {
    const record = { ...evseDataRecordPulled(), ChargingStationId: 'x'.repeat(51) };
    const page = { ...pullEvseDataResponse(), content: [record] };
    expect(errorsOf('PullEvseData', 'response', page).map((e) => e.pointer)).toEqual(['/content/0/ChargingStationId']);
  });
});
