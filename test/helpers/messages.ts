/** Valid OICP 2.3 messages for hub tests, built from the spec's facts; each builder takes the fields a test varies. */

export function evseRecord(EvseID: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    EvseID,
    ChargingStationNames: [{ lang: 'en', value: `Station ${EvseID}` }],
    Address: { Country: 'DEU', City: 'Berlin', Street: 'Karl-Liebknecht-Straße', PostalCode: '10178', HouseNum: '13' },
    GeoCoordinates: { DecimalDegree: { Latitude: '52.521918', Longitude: '13.413215' } },
    Plugs: ['Type 2 Outlet'],
    ChargingFacilities: [{ PowerType: 'AC_3_PHASE', Power: 22 }],
    RenewableEnergy: true,
    CalibrationLawDataAvailability: 'Local',
    AuthenticationModes: ['NFC RFID Classic', 'REMOTE'],
    PaymentOptions: ['Contract'],
    ValueAddedServices: ['Reservation'],
    Accessibility: 'Free publicly accessible',
    HotlinePhoneNumber: '+4930123456',
    IsOpen24Hours: true,
    IsHubjectCompatible: true,
    DynamicInfoAvailable: 'true',
    ...extra,
  };
}

export function pushEvseData(OperatorID: string, records: unknown[], ActionType = 'fullLoad') {
  return {
    ActionType,
    OperatorEvseData: { OperatorID, OperatorName: `Operator ${OperatorID}`, EvseDataRecord: records },
  };
}

export function pushEvseStatus(
  OperatorID: string,
  records: Array<{ EvseID: string; EvseStatus: string }>,
  ActionType = 'fullLoad',
) {
  return {
    ActionType,
    OperatorEvseStatus: { OperatorID, OperatorName: `Operator ${OperatorID}`, EvseStatusRecord: records },
  };
}

export function pullEvseData(ProviderID: string, extra: Record<string, unknown> = {}) {
  return { ProviderID, GeoCoordinatesResponseFormat: 'DecimalDegree', ...extra };
}

export function remoteStart(ProviderID: string, EvseID: string, EvcoID = 'DE-EMA-C12345678-X') {
  return { ProviderID, EvseID, Identification: { RemoteIdentification: { EvcoID } } };
}

export function remoteStop(ProviderID: string, EvseID: string, SessionID: string) {
  return { ProviderID, EvseID, SessionID };
}

export function authorizeStart(OperatorID: string, UID: string, EvseID?: string) {
  return { OperatorID, ...(EvseID ? { EvseID } : {}), Identification: { RFIDMifareFamilyIdentification: { UID } } };
}

export function authorizeStop(OperatorID: string, SessionID: string, UID: string) {
  return { OperatorID, SessionID, Identification: { RFIDMifareFamilyIdentification: { UID } } };
}

export function cdr(SessionID: string, EvseID: string, start = new Date('2026-11-22T10:00:00Z'), kWh = 11.5) {
  const at = (minutes: number): string => new Date(start.getTime() + minutes * 60_000).toISOString();
  return {
    SessionID,
    EvseID,
    Identification: { RemoteIdentification: { EvcoID: 'DE-EMA-C12345678-X' } },
    SessionStart: at(0),
    ChargingStart: at(1),
    ChargingEnd: at(31),
    SessionEnd: at(32),
    MeterValueStart: 100,
    MeterValueEnd: 100 + kWh,
    ConsumedEnergy: kWh,
  };
}

export function ack(Result = true, Code = '000', SessionID?: string) {
  return { Result, StatusCode: { Code }, ...(SessionID ? { SessionID } : {}) };
}

export function authorized(ProviderID: string, SessionID?: string) {
  return {
    AuthorizationStatus: 'Authorized',
    ProviderID,
    StatusCode: { Code: '000' },
    ...(SessionID ? { SessionID } : {}),
  };
}

export function notAuthorized(Code = '102') {
  return { AuthorizationStatus: 'NotAuthorized', StatusCode: { Code } };
}

export function getCdrs(ProviderID: string, extra: Record<string, unknown> = {}) {
  return { ProviderID, From: '2000-01-01T00:00:00Z', To: '2100-01-01T00:00:00Z', ...extra };
}
