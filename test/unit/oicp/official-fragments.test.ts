import { describe, expect, it } from 'vitest';
import type { OperationId } from '../../../src/oicp/operations.js';
import { validateMessage } from '../../../src/oicp/validate.js';
import { OICP_REFERENCE_DIR, referenceTitle } from '../../helpers/oicp-reference.js';
import { asJson, setAt, VALID } from './fixtures/index.js';
import { notificationStart } from './fixtures/notifications.js';
import { type Fragment, readExample, readIndex } from './fixtures/official-examples.js';

type Side = 'request' | 'response';
interface Placement {
  op: OperationId;
  side: Side;
  body: Record<string, unknown>;
}
type Place = (fragment: unknown) => Placement;

/** Puts the fragment at `pointer` inside the valid fixture of op/side (or of `base`). */
const at =
  (op: OperationId, side: Side, pointer: string, base: () => unknown = VALID[op][side]): Place =>
  (fragment) => ({ op, side, body: setAt(asJson(base()), pointer, fragment) });
/** Same, wrapping the fragment first (for fragments that are only part of the object at `pointer`). */
const wrapped =
  (op: OperationId, side: Side, pointer: string, wrap: (f: unknown) => unknown): Place =>
  (fragment) =>
    at(op, side, pointer)(wrap(fragment));

const REC = '/OperatorEvseData/EvseDataRecord/0';
const QR = '/ProviderAuthenticationData/AuthenticationDataRecord/1/Identification/QRCodeIdentification';
const PRODUCT = '/PricingProductData/PricingProductDataRecords/0';

/** Every fragment of index.json, placed where OICP uses that schema. */
const PLACEMENTS: Readonly<Record<string, Place>> = {
  'fragments/Accessibility.example.json': at('PushEvseData', 'request', `${REC}/Accessibility`),
  'fragments/AddressIso19773.properties.TimeZone.example.json': at(
    'PushEvseData',
    'request',
    `${REC}/Address/TimeZone`,
  ),
  'fragments/ChargingNotificationType.example.json': at('ChargingNotification', 'request', '/Type', notificationStart),
  'fragments/ChargingPoolID.example.json': at('PushEvseData', 'request', `${REC}/ChargingPoolID`),
  'fragments/CurrencyID.example.json': at(
    'PushPricingProductData',
    'request',
    '/PricingProductData/PricingDefaultPriceCurrency',
  ),
  'fragments/EvcoID.example.json': at('AuthorizeRemoteStart', 'request', '/Identification/RemoteIdentification/EvcoID'),
  'fragments/EvseID.example.json': at('AuthorizeStart', 'request', '/EvseID'),
  'fragments/GeoCoordinates.properties.DecimalDegree.properties.Latitude.example.json': at(
    'PullEvseData',
    'request',
    '/SearchCenter/GeoCoordinates/DecimalDegree/Latitude',
  ),
  'fragments/GeoCoordinates.properties.DecimalDegree.properties.Longitude.example.json': at(
    'PullEvseData',
    'request',
    '/SearchCenter/GeoCoordinates/DecimalDegree/Longitude',
  ),
  'fragments/GeoCoordinates.properties.DegreeMinuteSeconds.properties.Latitude.example.json': wrapped(
    'PullEvseData',
    'request',
    '/SearchCenter/GeoCoordinates',
    (f) => ({ DegreeMinuteSeconds: { Latitude: f, Longitude: "13°21'23.27''" } }),
  ),
  'fragments/GeoCoordinates.properties.DegreeMinuteSeconds.properties.Longitude.example.json': wrapped(
    'PullEvseData',
    'request',
    '/SearchCenter/GeoCoordinates',
    (f) => ({ DegreeMinuteSeconds: { Latitude: "52°28'49.78''", Longitude: f } }),
  ),
  'fragments/GeoCoordinates.properties.Google.properties.Coordinates.example.json': at(
    'PushEvseData',
    'request',
    `${REC}/GeoCoordinates/Google/Coordinates`,
  ),
  'fragments/OpeningTimes.example.json': at('PushEvseData', 'request', `${REC}/OpeningTimes/0`),
  // The CPO OpenAPI's broken, unreferenced schemas/OperatorEvseData.yaml; its example is a session, not operator data.
  'fragments/OperatorEvseData.example.json': at('PushEvseData', 'request', '/OperatorEvseData'),
  'fragments/OperatorID.example.json': at('PushEvseStatus', 'request', '/OperatorEvseStatus/OperatorID'),
  'fragments/PaymentOption.example.json': at('PushEvseData', 'request', `${REC}/PaymentOptions/0`),
  'fragments/Plug.example.json': at('PushEvseData', 'request', `${REC}/Plugs/0`),
  'fragments/PlugAndChargeIdentification.example.json': wrapped(
    'AuthorizeStart',
    'request',
    '/Identification',
    (f) => ({ PlugAndChargeIdentification: f }),
  ),
  'fragments/ProductID.example.json': at('AuthorizeStart', 'request', '/PartnerProductID'),
  'fragments/ProviderID.example.json': at('PullEvseData', 'request', '/ProviderID'),
  'fragments/ProviderIDAsterisk.example.json': at('PushEVSEPricing', 'request', '/EVSEPricing/0/ProviderID'),
  'fragments/QRCodeIdentification.properties.HashedPIN.properties.Function.example.json': at(
    'PushAuthenticationData',
    'request',
    `${QR}/HashedPIN/Function`,
  ),
  'fragments/QRCodeIdentification.properties.HashedPIN.properties.LegacyHashData.properties.Function.example.json':
    wrapped('PushAuthenticationData', 'request', `${QR}/HashedPIN/LegacyHashData`, (f) => ({ Function: f })),
  'fragments/QRCodeIdentification.properties.HashedPIN.properties.LegacyHashData.properties.Salt.example.json': wrapped(
    'PushAuthenticationData',
    'request',
    `${QR}/HashedPIN/LegacyHashData`,
    (f) => ({ Function: 'MD5', Salt: f }),
  ),
  'fragments/QRCodeIdentification.properties.HashedPIN.properties.LegacyHashData.properties.Value.example.json':
    wrapped('PushAuthenticationData', 'request', `${QR}/HashedPIN/LegacyHashData`, (f) => ({
      Function: 'MD5',
      Value: f,
    })),
  'fragments/QRCodeIdentification.properties.HashedPIN.properties.Value.example.json': at(
    'PushAuthenticationData',
    'request',
    `${QR}/HashedPIN/Value`,
  ),
  'fragments/RFIDIdentification.example.json': wrapped(
    'PushAuthenticationData',
    'request',
    '/ProviderAuthenticationData/AuthenticationDataRecord/0/Identification',
    (f) => ({ RFIDIdentification: f }),
  ),
  'fragments/RFIDMifareFamilyIdentification.example.json': at(
    'AuthorizeStart',
    'request',
    '/Identification/RFIDMifareFamilyIdentification',
  ),
  'fragments/ReferenceUnit.example.json': at('PushPricingProductData', 'request', `${PRODUCT}/ReferenceUnit`),
  'fragments/RemoteIdentification.example.json': at(
    'AuthorizeRemoteStart',
    'request',
    '/Identification/RemoteIdentification',
  ),
  'fragments/SessionID.example.json': at('AuthorizeStop', 'request', '/SessionID'),
  'fragments/StatusCode.cpo.example.json': at('PushEvseData', 'response', '/StatusCode'),
  'fragments/StatusCode.emp.example.json': at('AuthorizeStart', 'response', '/StatusCode'),
  'fragments/UID.example.json': at('AuthorizeStart', 'request', '/Identification/RFIDMifareFamilyIdentification/UID'),
  'fragments/eRoamingAuthorizeRemoteReservationStart.properties.Duration.example.json': at(
    'AuthorizeRemoteReservationStart',
    'request',
    '/Duration',
  ),
  'fragments/eRoamingChargeDetailRecords.properties.empty.example.json': at(
    'GetChargeDetailRecords',
    'response',
    '/empty',
  ),
  'fragments/eRoamingChargeDetailRecords.properties.pageable.properties.offset.example.json': at(
    'GetChargeDetailRecords',
    'response',
    '/pageable/offset',
  ),
  'fragments/eRoamingChargeDetailRecords.properties.pageable.properties.pageNumber.example.json': at(
    'GetChargeDetailRecords',
    'response',
    '/pageable/pageNumber',
  ),
  'fragments/eRoamingChargeDetailRecords.properties.pageable.properties.pageSize.example.json': at(
    'GetChargeDetailRecords',
    'response',
    '/pageable/pageSize',
  ),
  'fragments/eRoamingChargeDetailRecords.properties.pageable.properties.paged.example.json': at(
    'GetChargeDetailRecords',
    'response',
    '/pageable/paged',
  ),
  'fragments/eRoamingChargeDetailRecords.properties.pageable.properties.unpaged.example.json': at(
    'GetChargeDetailRecords',
    'response',
    '/pageable/unpaged',
  ),
};

const { fragments } = OICP_REFERENCE_DIR === undefined ? { fragments: [] as Fragment[] } : readIndex();

describe.skipIf(OICP_REFERENCE_DIR === undefined)(
  referenceTitle('official schema fragments (index.json), placed inside valid messages'),
  () => {
    it('places every fragment and no other file', () => {
      expect(Object.keys(PLACEMENTS).sort()).toEqual(fragments.map((f) => f.file).sort());
    });

    it.each(fragments)('$file gets the same verdict as index.json (valid: $valid)', ({ file, valid }) => {
      const place = PLACEMENTS[file];
      if (place === undefined) throw new Error(`no placement for ${file}`);
      const { op, side, body } = place(readExample(file));
      const violations = validateMessage(op, side, body);
      expect(violations.filter((v) => v.severity === 'error').length === 0).toBe(valid);
      if (valid) expect(violations).toEqual([]);
    });
  },
);
