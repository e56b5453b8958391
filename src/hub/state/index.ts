import { AuthDataStore } from './auth-data.js';
import { CdrStore } from './cdrs.js';
import { EvseDataStore } from './evse-data.js';
import { EvseStatusStore } from './evse-status.js';
import { PricingStore } from './pricing.js';
import { type SessionRetention, SessionStore } from './sessions.js';

/** Everything HBS keeps between requests. */
export interface HubState {
  evseData: EvseDataStore;
  evseStatus: EvseStatusStore;
  sessions: SessionStore;
  cdrs: CdrStore;
  authData: AuthDataStore;
  pricing: PricingStore;
  /**
   * UID → ProviderID learnt from positive broadcast answers, so later requests skip the broadcast (Hubject's OICP 2.3
   * integration guide, 02-Server-Preparations).
   */
  uidRoutes: Map<string, string>;
}

export function createHubState(retention: { sessions?: SessionRetention } = {}): HubState {
  return {
    evseData: new EvseDataStore(),
    evseStatus: new EvseStatusStore(),
    sessions: new SessionStore(retention.sessions),
    cdrs: new CdrStore(),
    authData: new AuthDataStore(),
    pricing: new PricingStore(),
    uidRoutes: new Map(),
  };
}
