/**
 * The catalogue of OICP 2.3 operations: where each is served, who sends it, where HBS forwards it, and its
 * Acceptable Use Policy rate. Everything else (hub routes, schemas, scenarios, the monitor) keys on OperationId.
 * @see OICP 2.3 CPO and EMP OpenAPI (paths, operationIds); Hubject Acceptable Use Policy v1.0 (limits);
 *   OICP 2.3 CPO and EMP, 06 Code Snippets (path variants the OpenAPI does not have)
 */

export type Role = 'CPO' | 'EMP';

/** Hubject service types: contracts and Service Type Settings are per service type. @see Hubject support article "Service Type Settings (CPO)" */
export const SERVICE_TYPES = [
  'authorization',
  'reservation',
  'chargingNotifications',
  'evseData',
  'evseStatus',
  'authenticationData',
  'dynamicPricing',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const OPERATION_IDS = [
  'AuthorizeStart',
  'AuthorizeStop',
  'AuthorizeRemoteStart',
  'AuthorizeRemoteStop',
  'ChargeDetailRecord',
  'GetChargeDetailRecords',
  'AuthorizeRemoteReservationStart',
  'AuthorizeRemoteReservationStop',
  'PushEvseData',
  'PullEvseData',
  'PushEvseStatus',
  'PullEvseStatus',
  'PullEvseStatusById',
  'PullEvseStatusByOperatorId',
  'PushAuthenticationData',
  'PushPricingProductData',
  'PushEVSEPricing',
  'PullPricingProductData',
  'PullEVSEPricing',
  'ChargingNotification',
] as const;
export type OperationId = (typeof OPERATION_IDS)[number];

/** HBS's deadlines for a forwarded request: AuthorizeStart/Stop, the remote operations, everything else it relays. */
export type ForwardTimeout = 'authorize' | 'remoteStart' | 'forward';

/** The deadline in milliseconds HBS gives the partner it forwards this operation to, from the hub's timeouts. */
export function forwardTimeoutMs(
  operation: OperationId,
  timeouts: { authorizeMs: number; remoteStartMs: number; forwardMs: number },
): number {
  const kind = OPERATIONS[operation].forwardTimeout ?? 'forward';
  return kind === 'authorize'
    ? timeouts.authorizeMs
    : kind === 'remoteStart'
      ? timeouts.remoteStartMs
      : timeouts.forwardMs;
}

/** Which path parameter carries the sender's own ID (checked against its client certificate → 017). */
export type IdParam = 'operatorID' | 'providerID' | null;

export interface Operation {
  id: OperationId;
  /** OICP service and version, as Hubject names it. */
  service: string;
  serviceType: ServiceType;
  /** The role that sends it to HBS. */
  sender: Role;
  /** The role HBS forwards it to, if any. */
  forwardedTo?: Role;
  /** Paths relative to the hub's base path (`/api/oicp`); the first is canonical, others are documented variants. */
  hubPaths: readonly string[];
  /** Path appended to the receiving partner's Service URL on the forwarded leg; first is used, all are accepted. */
  partnerPaths?: readonly string[];
  idParam: IdParam;
  /**
   * Where the body names its sender's own OperatorID/ProviderID (JSON pointers): HBS compares each, and the path's,
   * with the client certificate and answers 017 on a mismatch. Empty when the body names only other partners.
   * @see OICP 2.3 CPO, 01 Communication Paradigms, Security
   */
  senderIdPointers: readonly string[];
  /** Which of HBS's deadlines the forwarded leg runs under (the hub's `timeouts`); null when HBS does not forward it. */
  forwardTimeout: ForwardTimeout | null;
  /** Answers with a Spring-style page and reads `?page=&size=`. */
  paged: boolean;
  /** Hubject Acceptable Use Policy calls per minute (AUP "Limits per eRoaming operation"). */
  aupPerMinute: number;
  mandatory: { CPO: 'M' | 'O' | '-'; EMP: 'M' | 'O' | '-' };
}

const op = (o: Operation): Operation => Object.freeze(o);

export const OPERATIONS: Readonly<Record<OperationId, Operation>> = Object.freeze({
  AuthorizeStart: op({
    id: 'AuthorizeStart',
    service: 'Authorization 2.1',
    serviceType: 'authorization',
    sender: 'CPO',
    forwardedTo: 'EMP',
    hubPaths: ['/charging/v21/operators/{operatorID}/authorize/start'],
    partnerPaths: ['/charging/v21/operators/{operatorID}/authorize/start'],
    idParam: 'operatorID',
    senderIdPointers: ['/OperatorID'],
    forwardTimeout: 'authorize',
    paged: false,
    aupPerMinute: 200,
    mandatory: { CPO: 'M', EMP: 'M' },
  }),
  AuthorizeStop: op({
    id: 'AuthorizeStop',
    service: 'Authorization 2.1',
    serviceType: 'authorization',
    sender: 'CPO',
    forwardedTo: 'EMP',
    hubPaths: ['/charging/v21/operators/{operatorID}/authorize/stop'],
    partnerPaths: ['/charging/v21/operators/{operatorID}/authorize/stop'],
    idParam: 'operatorID',
    senderIdPointers: ['/OperatorID'],
    forwardTimeout: 'authorize',
    paged: false,
    aupPerMinute: 50,
    mandatory: { CPO: 'O', EMP: 'O' },
  }),
  AuthorizeRemoteStart: op({
    id: 'AuthorizeRemoteStart',
    service: 'Authorization 2.1',
    serviceType: 'authorization',
    sender: 'EMP',
    forwardedTo: 'CPO',
    hubPaths: ['/charging/v21/providers/{providerID}/authorize-remote/start'],
    partnerPaths: ['/charging/v21/providers/{providerID}/authorize-remote/start'],
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: 'remoteStart',
    paged: false,
    aupPerMinute: 100,
    mandatory: { CPO: 'M', EMP: 'M' },
  }),
  AuthorizeRemoteStop: op({
    id: 'AuthorizeRemoteStop',
    service: 'Authorization 2.1',
    serviceType: 'authorization',
    sender: 'EMP',
    forwardedTo: 'CPO',
    // The EMP OpenAPI calls the segment {externalID}; it carries the ProviderID either way.
    hubPaths: ['/charging/v21/providers/{providerID}/authorize-remote/stop'],
    partnerPaths: ['/charging/v21/providers/{providerID}/authorize-remote/stop'],
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: 'remoteStart',
    paged: false,
    aupPerMinute: 200,
    mandatory: { CPO: 'M', EMP: 'M' },
  }),
  ChargeDetailRecord: op({
    id: 'ChargeDetailRecord',
    service: 'CDR 2.2',
    serviceType: 'authorization',
    sender: 'CPO',
    forwardedTo: 'EMP',
    hubPaths: ['/cdrmgmt/v22/operators/{operatorID}/charge-detail-record'],
    // OICP 2.3 CPO 06 Code Snippets append v22 for the EMP, the CPO OpenAPI's eRoamingChargeDetailRecord_V2.2
    // description v21: send v22, accept both.
    partnerPaths: [
      '/cdrmgmt/v22/operators/{operatorID}/charge-detail-record',
      '/cdrmgmt/v21/operators/{operatorID}/charge-detail-record',
    ],
    idParam: 'operatorID',
    senderIdPointers: [],
    forwardTimeout: 'forward',
    paged: false,
    aupPerMinute: 350,
    mandatory: { CPO: 'M', EMP: 'M' },
  }),
  GetChargeDetailRecords: op({
    id: 'GetChargeDetailRecords',
    service: 'CDR 2.2',
    serviceType: 'authorization',
    sender: 'EMP',
    hubPaths: ['/cdrmgmt/v22/providers/{providerID}/get-charge-detail-records-request'],
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: null,
    paged: true,
    aupPerMinute: 200,
    mandatory: { CPO: '-', EMP: 'M' },
  }),
  AuthorizeRemoteReservationStart: op({
    id: 'AuthorizeRemoteReservationStart',
    service: 'Reservation 1.1',
    serviceType: 'reservation',
    sender: 'EMP',
    forwardedTo: 'CPO',
    hubPaths: ['/reservation/v11/providers/{providerID}/reservation-start-request'],
    partnerPaths: ['/reservation/v11/providers/{providerID}/reservation-start-request'],
    // The AUP names no reservation limit; remote start's is the closest analogue.
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: 'remoteStart',
    paged: false,
    aupPerMinute: 100,
    mandatory: { CPO: 'O', EMP: 'O' },
  }),
  AuthorizeRemoteReservationStop: op({
    id: 'AuthorizeRemoteReservationStop',
    service: 'Reservation 1.1',
    serviceType: 'reservation',
    sender: 'EMP',
    forwardedTo: 'CPO',
    hubPaths: ['/reservation/v11/providers/{providerID}/reservation-stop-request'],
    partnerPaths: ['/reservation/v11/providers/{providerID}/reservation-stop-request'],
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: 'remoteStart',
    paged: false,
    aupPerMinute: 200,
    mandatory: { CPO: 'O', EMP: 'O' },
  }),
  PushEvseData: op({
    id: 'PushEvseData',
    service: 'EVSEData 2.3',
    serviceType: 'evseData',
    sender: 'CPO',
    hubPaths: ['/evsepush/v23/operators/{operatorID}/data-records'],
    idParam: 'operatorID',
    senderIdPointers: ['/OperatorEvseData/OperatorID'],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 375,
    mandatory: { CPO: 'M', EMP: '-' },
  }),
  PullEvseData: op({
    id: 'PullEvseData',
    service: 'EVSEData 2.3',
    serviceType: 'evseData',
    sender: 'EMP',
    hubPaths: ['/evsepull/v23/providers/{providerID}/data-records'],
    // Hubject Acceptable Use Policy v1.0: 100/min; Hubject's EMP best-practice support article "Implementation of
    // web services" says 25/min. The AUP is the normative document.
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: null,
    paged: true,
    aupPerMinute: 100,
    mandatory: { CPO: '-', EMP: 'M' },
  }),
  PushEvseStatus: op({
    id: 'PushEvseStatus',
    service: 'EVSEStatus 2.1',
    serviceType: 'evseStatus',
    sender: 'CPO',
    hubPaths: ['/evsepush/v21/operators/{operatorID}/status-records'],
    idParam: 'operatorID',
    senderIdPointers: ['/OperatorEvseStatus/OperatorID'],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 2000,
    mandatory: { CPO: 'M', EMP: '-' },
  }),
  PullEvseStatus: op({
    id: 'PullEvseStatus',
    service: 'EVSEStatus 2.1',
    serviceType: 'evseStatus',
    sender: 'EMP',
    hubPaths: ['/evsepull/v21/providers/{providerID}/status-records'],
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 6,
    mandatory: { CPO: '-', EMP: 'M' },
  }),
  PullEvseStatusById: op({
    id: 'PullEvseStatusById',
    service: 'EVSEStatus 2.1',
    serviceType: 'evseStatus',
    sender: 'EMP',
    // The EMP OpenAPI serves it on /status-records (body decides); OICP 2.3 EMP 06 Code Snippets give it its own path.
    hubPaths: ['/evsepull/v21/providers/{providerID}/status-records-by-id'],
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 300,
    mandatory: { CPO: '-', EMP: 'M' },
  }),
  PullEvseStatusByOperatorId: op({
    id: 'PullEvseStatusByOperatorId',
    service: 'EVSEStatus 2.1',
    serviceType: 'evseStatus',
    sender: 'EMP',
    hubPaths: ['/evsepull/v21/providers/{providerID}/status-records-by-operator-id'],
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 75,
    mandatory: { CPO: '-', EMP: 'M' },
  }),
  PushAuthenticationData: op({
    id: 'PushAuthenticationData',
    service: 'AuthenticationData 2.1',
    serviceType: 'authenticationData',
    sender: 'EMP',
    hubPaths: ['/authdata/v21/providers/{providerID}/push-request'],
    idParam: 'providerID',
    senderIdPointers: ['/ProviderAuthenticationData/ProviderID'],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 50,
    mandatory: { CPO: '-', EMP: 'O' },
  }),
  PushPricingProductData: op({
    id: 'PushPricingProductData',
    service: 'DynamicPricing 1.0',
    serviceType: 'dynamicPricing',
    sender: 'CPO',
    hubPaths: ['/dynamicpricing/v10/operators/{operatorID}/pricing-products'],
    idParam: 'operatorID',
    senderIdPointers: ['/PricingProductData/OperatorID'],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 6,
    mandatory: { CPO: 'O', EMP: '-' },
  }),
  PushEVSEPricing: op({
    id: 'PushEVSEPricing',
    service: 'DynamicPricing 1.0',
    serviceType: 'dynamicPricing',
    sender: 'CPO',
    hubPaths: ['/dynamicpricing/v10/operators/{operatorID}/evse-pricing'],
    idParam: 'operatorID',
    senderIdPointers: [],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 6,
    mandatory: { CPO: 'O', EMP: '-' },
  }),
  PullPricingProductData: op({
    id: 'PullPricingProductData',
    service: 'DynamicPricing 1.0',
    serviceType: 'dynamicPricing',
    sender: 'EMP',
    hubPaths: ['/dynamicpricing/v10/providers/{providerID}/pricing-products'],
    idParam: 'providerID',
    senderIdPointers: [],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 300,
    mandatory: { CPO: '-', EMP: 'O' },
  }),
  PullEVSEPricing: op({
    id: 'PullEVSEPricing',
    service: 'DynamicPricing 1.0',
    serviceType: 'dynamicPricing',
    sender: 'EMP',
    hubPaths: ['/dynamicpricing/v10/providers/{providerID}/evse-pricing'],
    idParam: 'providerID',
    senderIdPointers: ['/ProviderID'],
    forwardTimeout: null,
    paged: false,
    aupPerMinute: 280,
    mandatory: { CPO: '-', EMP: 'O' },
  }),
  ChargingNotification: op({
    id: 'ChargingNotification',
    service: 'ChargingNotifications 1.1',
    serviceType: 'chargingNotifications',
    sender: 'CPO',
    forwardedTo: 'EMP',
    hubPaths: ['/notificationmgmt/v11/charging-notifications'],
    partnerPaths: ['/notificationmgmt/v11/charging-notifications'],
    idParam: null,
    senderIdPointers: ['/OperatorID'],
    forwardTimeout: 'forward',
    paged: false,
    aupPerMinute: 100,
    mandatory: { CPO: 'O', EMP: 'O' },
  }),
});

/**
 * Paging limits for PullEvseData and GetChargeDetailRecords. @see OICP 2.3 EMP, 02 Services and Operations,
 * eRoamingGetChargeDetailRecords (default 20, at most 2000); for PullEvseData the 2000 is given by Hubject support
 * article "Implementation of web services" (EMP best practices) and Hubject's OICP 2.3 integration guide.
 */
export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 2000;

export function isOperationId(value: string): value is OperationId {
  return (OPERATION_IDS as readonly string[]).includes(value);
}

/** Fills `{operatorID}` / `{providerID}` (and the EMP OpenAPI's `{externalID}`) in a path or URL template. */
export function fillPath(template: string, ids: { operatorID?: string; providerID?: string }): string {
  return template.replace(/\{(operatorID|providerID|externalID)\}/gi, (whole, name: string) => {
    const key = name.toLowerCase() === 'operatorid' ? ids.operatorID : ids.providerID;
    return key === undefined ? whole : encodeURIComponent(key);
  });
}
