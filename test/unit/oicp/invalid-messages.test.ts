import { describe, expect, it } from 'vitest';
import type { OperationId } from '../../../src/oicp/operations.js';
import { validateMessage } from '../../../src/oicp/validate.js';
import { EVSE_ID } from './fixtures/ids.js';
import { asJson, setAt, VALID } from './fixtures/index.js';
import { notificationEnd, notificationError } from './fixtures/notifications.js';

interface InvalidCase {
  /** Test title: what is rejected. */
  title: string;
  op: OperationId;
  side: 'request' | 'response';
  /** Another valid body than VALID[op][side] to start from. */
  base?: () => unknown;
  /** Pointer → new value (`undefined` deletes). */
  set: Record<string, unknown>;
  /** The pointers of all errors, and nothing else. */
  errorsAt: string[];
  /** A phrase the first error's message must contain, so messages stay readable. */
  says: string;
}

const REC = '/OperatorEvseData/EvseDataRecord/0';
const PRODUCT = '/PricingProductData/PricingProductDataRecords/0';

const CASES: InvalidCase[] = [
  {
    title: 'a malformed EvseID',
    op: 'AuthorizeStart',
    side: 'request',
    set: { '/EvseID': 'DE-ABC-123' },
    errorsAt: ['/EvseID'],
    says: 'must match the EvseID format',
  },
  {
    title: 'a missing required property, pointing at the property',
    op: 'PushEvseData',
    side: 'request',
    set: { '/OperatorEvseData/OperatorID': undefined },
    errorsAt: ['/OperatorEvseData/OperatorID'],
    says: 'required property OperatorID is missing',
  },
  {
    title: 'StatusCode.Code as a number',
    op: 'AuthorizeRemoteStart',
    side: 'response',
    set: { '/StatusCode/Code': 0 },
    errorsAt: ['/StatusCode/Code'],
    says: 'must be a string, got number 0',
  },
  {
    title: 'StatusCode.Code "0" without its leading zeros',
    op: 'PushEvseStatus',
    side: 'response',
    set: { '/StatusCode/Code': '0' },
    errorsAt: ['/StatusCode/Code'],
    says: 'three digits',
  },
  {
    title: 'StatusCode.Description longer than 200 characters',
    op: 'PushEvseData',
    side: 'response',
    set: { '/StatusCode/Description': 'x'.repeat(201) },
    errorsAt: ['/StatusCode/Description'],
    says: 'at most 200 characters',
  },
  {
    title: 'StatusCode.AdditionalInfo longer than 1000 characters',
    op: 'PushEvseData',
    side: 'response',
    set: { '/StatusCode/AdditionalInfo': 'x'.repeat(1001) },
    errorsAt: ['/StatusCode/AdditionalInfo'],
    says: 'at most 1000 characters',
  },
  {
    title: 'a lower-case UID',
    op: 'AuthorizeStart',
    side: 'request',
    set: { '/Identification/RFIDMifareFamilyIdentification/UID': '1234abcd' },
    errorsAt: ['/Identification/RFIDMifareFamilyIdentification/UID'],
    says: 'UID format',
  },
  {
    title: 'a UID of 9 hex characters',
    op: 'AuthorizeStop',
    side: 'request',
    set: { '/Identification/RFIDMifareFamilyIdentification/UID': '12345ABCD' },
    errorsAt: ['/Identification/RFIDMifareFamilyIdentification/UID'],
    says: 'UID format',
  },
  {
    title: 'two identification media',
    op: 'AuthorizeStart',
    side: 'request',
    set: { '/Identification/QRCodeIdentification': { EvcoID: 'DE-DCB-C12345678-X', PIN: '1234' } },
    errorsAt: ['/Identification'],
    says: 'exactly one identification medium; found 2: RFIDMifareFamilyIdentification, QRCodeIdentification',
  },
  {
    title: 'an Identification without any medium',
    op: 'ChargeDetailRecord',
    side: 'request',
    set: { '/Identification': {} },
    errorsAt: ['/Identification'],
    says: 'found none',
  },
  {
    title: 'an Identification whose only medium is null',
    op: 'AuthorizeStart',
    side: 'request',
    set: { '/Identification/RFIDMifareFamilyIdentification': null },
    errorsAt: ['/Identification'],
    says: 'found none',
  },
  {
    title: 'a HashedPIN with a legacy hash function',
    op: 'PushAuthenticationData',
    side: 'request',
    set: {
      '/ProviderAuthenticationData/AuthenticationDataRecord/1/Identification/QRCodeIdentification/HashedPIN/Function':
        'MD5',
    },
    errorsAt: [
      '/ProviderAuthenticationData/AuthenticationDataRecord/1/Identification/QRCodeIdentification/HashedPIN/Function',
    ],
    says: 'must be one of "Bcrypt"',
  },
  {
    title: 'a notification with an unknown Type',
    op: 'ChargingNotification',
    side: 'request',
    set: { '/Type': 'Pause' },
    errorsAt: ['/Type'],
    says: 'must be one of Start, Progress, End, Error; got "Pause"',
  },
  {
    title: 'a notification without Type',
    op: 'ChargingNotification',
    side: 'request',
    set: { '/Type': undefined },
    errorsAt: ['/Type'],
    says: 'required property Type is missing',
  },
  {
    title: 'a Progress notification without ChargingDuration and ConsumedEnergyProgress',
    op: 'ChargingNotification',
    side: 'request',
    set: { '/ChargingDuration': undefined, '/ConsumedEnergyProgress': undefined },
    errorsAt: [''],
    says: 'at least one amount: one of ChargingDuration, ConsumedEnergyProgress; found none',
  },
  {
    title: 'a Progress notification whose amounts are both null',
    op: 'ChargingNotification',
    side: 'request',
    set: { '/ChargingDuration': null, '/ConsumedEnergyProgress': null },
    errorsAt: [''],
    says: 'found none',
  },
  {
    title: 'an End notification without ChargingEnd (End is checked on its own)',
    op: 'ChargingNotification',
    side: 'request',
    base: notificationEnd,
    set: { '/ChargingEnd': undefined },
    errorsAt: ['/ChargingEnd'],
    says: 'required property ChargingEnd is missing',
  },
  {
    title: 'an Error notification with the spaced "Connector Error"',
    op: 'ChargingNotification',
    side: 'request',
    base: notificationError,
    set: { '/ErrorType': 'Connector Error' },
    errorsAt: ['/ErrorType'],
    says: '"ConnectorError", "CriticalError"',
  },
  {
    title: 'EnergySource.Percentage 100',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/EnergySource/0/Percentage`]: 100 },
    errorsAt: [`${REC}/EnergySource/0/Percentage`],
    says: 'must be <= 99',
  },
  {
    title: 'a timestamp without a time-zone offset',
    op: 'ChargeDetailRecord',
    side: 'request',
    set: { '/ChargingStart': '2024-05-01T10:01:00' },
    errorsAt: ['/ChargingStart'],
    says: 'time-zone offset',
  },
  {
    title: 'null in a required string',
    op: 'AuthorizeStart',
    side: 'request',
    set: { '/OperatorID': null },
    errorsAt: ['/OperatorID'],
    says: 'got null (null is accepted only for optional fields)',
  },
  {
    title: 'null in a required object',
    op: 'AuthorizeStop',
    side: 'request',
    set: { '/Identification': null },
    errorsAt: ['/Identification'],
    says: 'must be an object, got null',
  },
  {
    title: 'a CPOPartnerSessionID longer than 250 characters',
    op: 'AuthorizeStart',
    side: 'request',
    set: { '/CPOPartnerSessionID': 'c'.repeat(251) },
    errorsAt: ['/CPOPartnerSessionID'],
    says: 'at most 250 characters',
  },
  {
    title: 'an alpha-2 Address.Country',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/Address/Country`]: 'DE' },
    errorsAt: [`${REC}/Address/Country`],
    says: 'at least 3 characters',
  },
  {
    title: 'an empty Address.City',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/Address/City`]: '' },
    errorsAt: [`${REC}/Address/City`],
    says: 'at least 1 characters',
  },
  {
    title: 'DynamicInfoAvailable as a JSON boolean',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/DynamicInfoAvailable`]: true },
    errorsAt: [`${REC}/DynamicInfoAvailable`],
    says: 'must be a string, got boolean true',
  },
  {
    title: 'the retired plug value "Unspecified"',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/Plugs/0`]: 'Unspecified' },
    errorsAt: [`${REC}/Plugs/0`],
    says: '"Type 2 Outlet"',
  },
  {
    title: 'the retired Accessibility value "Unspecified"',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/Accessibility`]: 'Unspecified' },
    errorsAt: [`${REC}/Accessibility`],
    says: '"Free publicly accessible"',
  },
  {
    title: 'the retired PowerType value "Unspecified"',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/ChargingFacilities/0/PowerType`]: 'Unspecified' },
    errorsAt: [`${REC}/ChargingFacilities/0/PowerType`],
    says: '"AC_1_PHASE", "AC_3_PHASE", "DC"',
  },
  {
    title: 'a fractional Power in a pushed record',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/ChargingFacilities/0/Power`]: 3.7 },
    errorsAt: [`${REC}/ChargingFacilities/0/Power`],
    says: 'must be an integer',
  },
  {
    title: 'a Voltage above 999',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/ChargingFacilities/0/Voltage`]: 1000 },
    errorsAt: [`${REC}/ChargingFacilities/0/Voltage`],
    says: 'must be <= 999',
  },
  {
    title: 'a HotlinePhoneNumber without +',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/HotlinePhoneNumber`]: '030 123456' },
    errorsAt: [`${REC}/HotlinePhoneNumber`],
    says: 'HotlinePhoneNumber format',
  },
  {
    title: 'GeoCoordinates without any notation',
    op: 'PushEvseData',
    side: 'request',
    set: { [`${REC}/GeoCoordinates`]: {} },
    errorsAt: [`${REC}/GeoCoordinates`],
    says: 'one of Google, DecimalDegree, DegreeMinuteSeconds; found none',
  },
  {
    title: 'an unknown ActionType',
    op: 'PushEvseStatus',
    side: 'request',
    set: { '/ActionType': 'replace' },
    errorsAt: ['/ActionType'],
    says: '"fullLoad", "update", "insert", "delete"',
  },
  {
    title: 'an unknown EvseStatus',
    op: 'PushEvseStatus',
    side: 'request',
    set: { '/OperatorEvseStatus/EvseStatusRecord/0/EvseStatus': 'Free' },
    errorsAt: ['/OperatorEvseStatus/EvseStatusRecord/0/EvseStatus'],
    says: '"Available"',
  },
  {
    title: 'Result as the string "true"',
    op: 'PushEvseStatus',
    side: 'response',
    set: { '/Result': 'true' },
    errorsAt: ['/Result'],
    says: 'must be a boolean',
  },
  {
    title: 'a SessionID that is not an HBS GUID',
    op: 'ChargeDetailRecord',
    side: 'response',
    set: { '/SessionID': 'string' },
    errorsAt: ['/SessionID'],
    says: 'SessionID format',
  },
  {
    title: 'an unknown AuthorizationStatus',
    op: 'AuthorizeStart',
    side: 'response',
    set: { '/AuthorizationStatus': 'Granted' },
    errorsAt: ['/AuthorizationStatus'],
    says: '"Authorized", "NotAuthorized"',
  },
  {
    title: 'a malformed ProviderID',
    op: 'PullEvseData',
    side: 'request',
    set: { '/ProviderID': 'DE_DCB' },
    errorsAt: ['/ProviderID'],
    says: 'ProviderID format',
  },
  {
    title: 'a page without totalPages',
    op: 'PullEvseData',
    side: 'response',
    set: { '/totalPages': undefined },
    errorsAt: ['/totalPages'],
    says: 'required property totalPages',
  },
  {
    title: 'a pulled record without OperatorName',
    op: 'PullEvseData',
    side: 'response',
    set: { '/content/0/OperatorName': undefined },
    errorsAt: ['/content/0/OperatorName'],
    says: 'required property OperatorName',
  },
  {
    title: 'more than 100 EvseIDs in one status pull',
    op: 'PullEvseStatusById',
    side: 'request',
    set: { '/EvseID': Array.from({ length: 101 }, () => EVSE_ID) },
    errorsAt: ['/EvseID'],
    says: 'at most 100 items, got 101',
  },
  {
    title: 'a reservation of 100 minutes',
    op: 'AuthorizeRemoteReservationStart',
    side: 'request',
    set: { '/Duration': 100 },
    errorsAt: ['/Duration'],
    says: 'must be <= 99',
  },
  {
    title: 'a reservation of 0 minutes',
    op: 'AuthorizeRemoteReservationStart',
    side: 'request',
    set: { '/Duration': 0 },
    errorsAt: ['/Duration'],
    says: 'must be >= 1',
  },
  {
    title: 'GetChargeDetailRecords with OperatorID as an array',
    op: 'GetChargeDetailRecords',
    side: 'request',
    set: { '/OperatorID': ['DE*ABC'] },
    errorsAt: ['/OperatorID'],
    says: 'must be a string, got an array',
  },
  {
    title: 'more than ten SignedMeteringValues',
    op: 'ChargeDetailRecord',
    side: 'request',
    set: { '/SignedMeteringValues': Array.from({ length: 11 }, () => ({ MeteringStatus: 'Progress' })) },
    errorsAt: ['/SignedMeteringValues'],
    says: 'at most 10 items',
  },
  {
    title: 'an unknown ReferenceUnit',
    op: 'PushPricingProductData',
    side: 'request',
    set: { [`${PRODUCT}/ReferenceUnit`]: 'DAY' },
    errorsAt: [`${PRODUCT}/ReferenceUnit`],
    says: '"HOUR", "KILOWATT_HOUR", "MINUTE"',
  },
  {
    title: 'ProductAvailabilityTimes without Periods (or Period)',
    op: 'PushPricingProductData',
    side: 'request',
    set: { [`${PRODUCT}/ProductAvailabilityTimes/0/Periods`]: undefined },
    errorsAt: [`${PRODUCT}/ProductAvailabilityTimes/0`],
    says: 'one of Periods, Period; found none',
  },
  {
    title: 'a non-ISO-4217 currency',
    op: 'PushPricingProductData',
    side: 'request',
    set: { '/PricingProductData/PricingDefaultPriceCurrency': 'euro' },
    errorsAt: ['/PricingProductData/PricingDefaultPriceCurrency'],
    says: 'CurrencyID',
  },
  {
    title: 'a pulled EVSE pricing without OperatorIDs',
    op: 'PullEVSEPricing',
    side: 'request',
    set: { '/OperatorIDs': undefined },
    errorsAt: ['/OperatorIDs'],
    says: 'required property OperatorIDs',
  },
];

describe('validateMessage rejects', () => {
  it.each(CASES)('$title ($op $side)', ({ op, side, base, set, errorsAt, says }) => {
    let body = asJson(base === undefined ? VALID[op][side]() : base());
    for (const [pointer, value] of Object.entries(set)) body = setAt(body, pointer, value);
    const errors = validateMessage(op, side, body).filter((v) => v.severity === 'error');
    expect([...new Set(errors.map((e) => e.pointer))]).toEqual(errorsAt);
    expect(errors[0]?.message).toContain(says);
  });

  it.each([null, [], 'AuthorizeStart', 42])('a body that is not a JSON object (%j) at the root', (body) => {
    const errors = validateMessage('AuthorizeStart', 'request', body);
    expect(errors).toEqual([{ pointer: '', severity: 'error', message: expect.stringContaining('must be an object') }]);
  });
});
