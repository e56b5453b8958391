/**
 * The OCPP 1.6-J messages the virtual charge point exchanges with a CPO's central system (CSMS), as TypeScript types.
 * Field names, enums and limits follow the OCPP 1.6 JSON schemas (OCPP 1.6 edition 2, "OCPP-J 1.6 Specification" and
 * its schema files); at run time ocpp-rpc validates every frame against those schemas in strict mode, so these types
 * describe what the schemas already enforce, for the compiler. Only the subset the charge point uses is here.
 */

/** OCPP 1.6 §7 Types, ChargePointStatus. */
export type ChargePointStatus =
  | 'Available'
  | 'Preparing'
  | 'Charging'
  | 'SuspendedEVSE'
  | 'SuspendedEV'
  | 'Finishing'
  | 'Reserved'
  | 'Unavailable'
  | 'Faulted';

/** OCPP 1.6 §7 Types, ChargePointErrorCode. */
export type ChargePointErrorCode =
  | 'ConnectorLockFailure'
  | 'EVCommunicationError'
  | 'GroundFailure'
  | 'HighTemperature'
  | 'InternalError'
  | 'LocalListConflict'
  | 'NoError'
  | 'OtherError'
  | 'OverCurrentFailure'
  | 'PowerMeterFailure'
  | 'PowerSwitchFailure'
  | 'ReaderFailure'
  | 'ResetFailure'
  | 'UnderVoltage'
  | 'OverVoltage'
  | 'WeakSignal';

/** OCPP 1.6 §7 Types, IdTagInfo: the CSMS's verdict on an idTag (at most 20 characters, IdToken). */
export interface IdTagInfo {
  status: 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
  expiryDate?: string;
  parentIdTag?: string;
}

/** OCPP 1.6 §7 Types, Reason (StopTransaction). */
export type StopReason =
  | 'EmergencyStop'
  | 'EVDisconnected'
  | 'HardReset'
  | 'Local'
  | 'Other'
  | 'PowerLoss'
  | 'Reboot'
  | 'Remote'
  | 'SoftReset'
  | 'UnlockCommand'
  | 'DeAuthorized';

/** OCPP 1.6 §7 Types, SampledValue, as the charge point sends it: the energy register in Wh. */
export interface SampledValue {
  value: string;
  context?: 'Sample.Periodic' | 'Transaction.Begin' | 'Transaction.End' | 'Trigger';
  measurand?: 'Energy.Active.Import.Register' | 'Power.Active.Import';
  unit?: 'Wh' | 'kWh' | 'W' | 'kW';
}

/** OCPP 1.6 §7 Types, MeterValue. */
export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

/** What the charge point sends (OCPP 1.6 §4) and what the CSMS answers. */
export interface ChargePointCalls {
  BootNotification: {
    req: {
      chargePointVendor: string;
      chargePointModel: string;
      chargePointSerialNumber?: string;
      firmwareVersion?: string;
    };
    conf: { status: 'Accepted' | 'Pending' | 'Rejected'; currentTime: string; interval: number };
  };
  Heartbeat: { req: Record<string, never>; conf: { currentTime: string } };
  StatusNotification: {
    req: {
      connectorId: number;
      errorCode: ChargePointErrorCode;
      status: ChargePointStatus;
      info?: string;
      timestamp?: string;
    };
    conf: Record<string, never>;
  };
  Authorize: { req: { idTag: string }; conf: { idTagInfo: IdTagInfo } };
  StartTransaction: {
    req: { connectorId: number; idTag: string; meterStart: number; timestamp: string; reservationId?: number };
    conf: { idTagInfo: IdTagInfo; transactionId: number };
  };
  StopTransaction: {
    req: {
      transactionId: number;
      meterStop: number;
      timestamp: string;
      idTag?: string;
      reason?: StopReason;
      transactionData?: MeterValue[];
    };
    conf: { idTagInfo?: IdTagInfo };
  };
  MeterValues: {
    req: { connectorId: number; transactionId?: number; meterValue: MeterValue[] };
    conf: Record<string, never>;
  };
}

/** What the CSMS may ask of the charge point (OCPP 1.6 §5) and what it answers. */
export interface CentralSystemCalls {
  RemoteStartTransaction: {
    req: { idTag: string; connectorId?: number; chargingProfile?: unknown };
    conf: { status: 'Accepted' | 'Rejected' };
  };
  RemoteStopTransaction: { req: { transactionId: number }; conf: { status: 'Accepted' | 'Rejected' } };
  ChangeAvailability: {
    req: { connectorId: number; type: 'Inoperative' | 'Operative' };
    conf: { status: 'Accepted' | 'Rejected' | 'Scheduled' };
  };
  UnlockConnector: { req: { connectorId: number }; conf: { status: 'Unlocked' | 'UnlockFailed' | 'NotSupported' } };
  Reset: { req: { type: 'Hard' | 'Soft' }; conf: { status: 'Accepted' | 'Rejected' } };
  TriggerMessage: {
    req: {
      requestedMessage:
        | 'BootNotification'
        | 'DiagnosticsStatusNotification'
        | 'FirmwareStatusNotification'
        | 'Heartbeat'
        | 'MeterValues'
        | 'StatusNotification';
      connectorId?: number;
    };
    conf: { status: 'Accepted' | 'Rejected' | 'NotImplemented' };
  };
  ReserveNow: {
    req: { connectorId: number; expiryDate: string; idTag: string; reservationId: number; parentIdTag?: string };
    conf: { status: 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable' };
  };
  CancelReservation: { req: { reservationId: number }; conf: { status: 'Accepted' | 'Rejected' } };
  GetConfiguration: {
    req: { key?: string[] };
    conf: {
      configurationKey?: Array<{ key: string; readonly: boolean; value?: string }>;
      unknownKey?: string[];
    };
  };
  ChangeConfiguration: {
    req: { key: string; value: string };
    conf: { status: 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported' };
  };
}

export type ChargePointAction = keyof ChargePointCalls;
export type CentralSystemAction = keyof CentralSystemCalls;

/** OCPP-J 1.6, connection: the WebSocket subprotocol a 1.6-J charge point asks for. */
export const OCPP16_SUBPROTOCOL = 'ocpp1.6';
