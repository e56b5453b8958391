import type { EvseDataRecord } from '../../oicp/messages.js';
import type { OperationId, Role, ServiceType } from '../../oicp/operations.js';

/**
 * The simulated world as the hub sees it: its own settings, the partners it knows with their Service Type Settings,
 * and the contracts between them. Loaded from `simulator/` (see src/config/world/load.ts), resolved with every field set.
 */

/**
 * Hubject portal "Service Type Settings", per partner and service type.
 * @see Hubject support article "Service Type Settings (CPO)"
 */
export interface ServiceTypeSetting {
  /** Off by default at Hubject; must be on before a Service URL or broadcast takes effect. */
  onlineRequest: boolean;
  /** EMP side of Authorization: receive AuthorizeStart broadcasts for media HBS cannot route. */
  broadcast: boolean;
  /** Base URL; the operation's standard OICP path is appended (e.g. `https://cpo.example/oicp`). */
  serviceUrl?: string;
  /**
   * Full URL per operation, used as given (partners register arbitrary URLs with Hubject, query strings included);
   * `{operatorID}` and `{providerID}` are filled in. Wins over serviceUrl.
   */
  operationUrls: Partial<Record<OperationId, string>>;
  /** The hub presents its client certificate when calling this partner. */
  clientCertification: boolean;
}

export interface Partner {
  /** File-safe key (`virtual-cpo`); names the partner's certificate folder under certs/partners/. */
  key: string;
  /** OperatorID (CPO) or ProviderID (EMP); also the CN of the partner's client certificate. */
  id: string;
  role: Role;
  name: string;
  /** A locked partner is refused with 017 (OICP 2.3 CPO, 04 Business Process Diagrams) and skipped when forwarding. */
  locked: boolean;
  /** Extra OperatorID/ProviderID prefixes whose EvseIDs/EvcoIDs this hub partner may push (sub-operators). */
  subPartnerIds: string[];
  serviceTypes: Partial<Record<ServiceType, ServiceTypeSetting>>;
  /** PEM file of the CA that signed this partner's server certificate, when not the hub's own CA. */
  serverCaFile?: string;
  /** PEM file of a CA of the partner's own whose client certificates the hub accepts, for this partner only. */
  clientCaFile?: string;
}

/** A contract: the CPO offers, the EMP subscribes, per service type. */
export interface Contract {
  /** OperatorID of the offering CPO, as its partner file spells it (world.yaml may name it by key). */
  cpo: string;
  /** ProviderID of the subscribing EMP, likewise. */
  emp: string;
  services: ServiceType[];
}

export interface HubTimeouts {
  /**
   * EMP must answer a forwarded AuthorizeStart/Stop within this; default 10 000 (Hubject's EMP best-practice support
   * article "Implementation of web services").
   */
  authorizeMs: number;
  /**
   * CPO must answer a forwarded AuthorizeRemoteStart/Stop and reservations within this. Default 60 000: Hubject's
   * OICP 2.3 integration guide (github.com/FirasHubject/OICP23_Integration_Guide, 09-eRoamingAuthorizeRemoteStart).
   * Hubject's EMP best-practice support article "Implementation of web services" says 40 000. Best practice is under
   * 10 000 (OICP 2.3 CPO, 02 Services and Operations, eRoamingAuthorizeRemoteStart).
   */
  remoteStartMs: number;
  /** Other forwarded legs (CDR, notifications): HBS's internal limit is unpublished; default 30 000. */
  forwardMs: number;
}

export interface AupSettings {
  enabled: boolean;
  /** Overrides of the AUP's per-minute limits, per operation. */
  perMinute: Partial<Record<OperationId, number>>;
  /**
   * Real milliseconds HBS takes to process a push before it answers (0 when absent): two pushes of one operation
   * sent at once then overlap at HBS every time, as they do at Hubject, where a push takes far longer than 1 ms.
   */
  pushProcessingMs?: number;
}

export interface HubSettings {
  host: string;
  /** 0 = ephemeral. */
  port: number;
  basePath: string;
  /** `mtls` as Hubject runs; `http` only for partners without TLS on a developer machine (labelled everywhere). */
  transport: 'mtls' | 'http';
  timeouts: HubTimeouts;
  aup: AupSettings;
  /** Largest request body accepted, in bytes; larger ones get 413 with an OICP acknowledgement. */
  bodyLimitBytes: number;
  /** Where certificates live (relative paths resolve from the working directory). */
  certsDir: string;
  /** JSONL transcript of every exchange, or none. */
  transcriptPath?: string;
  /** How many exchanges, and how many MiB of them (as JSON), the recorder keeps in memory; the oldest go first. */
  recorder: { maxExchanges: number; maxMiB: number };
  /**
   * How far V8's old generation may grow past the live heap between full collections, in percent of the live heap;
   * 0 leaves it to V8. Process-wide: the last hub started in a process sets it (see src/hub/heap-growth.ts).
   */
  heapGrowthPercent: number;
  /**
   * Extra DNS names and IP addresses the hub's server certificate carries besides localhost, 127.0.0.1 and ::1
   * (a CI service name, this machine's address), so partners on other hosts can verify it.
   */
  serverNames?: string[];
}

export interface World {
  version: 1;
  /** Folder the world was loaded from, or `embedded`. */
  source: string;
  hub: HubSettings;
  partners: Partner[];
  contracts: Contract[];
  /**
   * EVSE data the hub already holds at start, per OperatorID (records as OICP EvseDataRecord objects). A CPO the
   * simulator plays (see `virtual`) is absent here: its station pushes its own data when it starts.
   */
  evseData: Record<string, EvseDataRecord[]>;
  /** Partners the simulator plays itself, from simulator/virtual/<key>.yaml. */
  virtual: { stations: VirtualStationConfig[]; emps: VirtualEmpConfig[] };
}

/** An EVSE state a station can be in (EvseNotFound is HBS's answer, never a station state). */
export type StationStatus = 'Available' | 'Reserved' | 'Occupied' | 'OutOfService' | 'Unknown';

/** A virtual CPO, every default filled in. Durations are protocol seconds (the time scale compresses them). */
export interface VirtualStationConfig {
  partnerKey: string;
  operatorId: string;
  operatorName: string;
  /** OICP EvseDataRecord objects from evse/<key>.json, pushed as fullLoad when the station starts. */
  evseData: EvseDataRecord[];
  /** Start state of every EVSE in evseData, by EvseID. */
  evses: Record<string, { status: StationStatus; meterStartKWh: number }>;
  vehiclePowerKw: number;
  autoPlug: boolean;
  plugDelaySeconds: number;
  plugTimeoutSeconds: number;
  progressIntervalSeconds: number;
  cdrDelaySeconds: number;
  maxChargingMinutes?: number;
}

export interface VirtualCustomer {
  name: string;
  evcoId?: string;
  uid?: string;
  pin?: string;
  blocked: boolean;
}

export interface VirtualEmpConfig {
  partnerKey: string;
  providerId: string;
  mode: 'online' | 'offline';
  customers: VirtualCustomer[];
}
