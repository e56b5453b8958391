import type { Contract, HubSettings, Partner, ServiceTypeSetting, World } from '../../src/config/world/types.js';
import { SERVICE_TYPES } from '../../src/oicp/operations.js';
import type { CertSubject } from '../../src/tls/certs.js';

// No test-runner imports here: vitest tests, Playwright specs and the benchmark all build their worlds from this.

const online = (extra: Partial<ServiceTypeSetting> = {}): ServiceTypeSetting => ({
  onlineRequest: true,
  broadcast: false,
  operationUrls: {},
  clientCertification: true,
  ...extra,
});

const partner = (key: string, id: string, role: 'CPO' | 'EMP', extra: Partial<Partner> = {}): Partner => ({
  key,
  id,
  role,
  name: `${key} (test)`,
  locked: false,
  subPartnerIds: [],
  serviceTypes: {},
  ...extra,
});

/**
 * A small world for hub tests: cpo-a and emp-a roam for everything, emp-b only receives authorization broadcasts,
 * cpo-x and emp-x have no contracts, and `ghost` has a certificate but is not in the world.
 */
export function testPartners(): Partner[] {
  return [
    partner('cpo-a', 'DE*CPA', 'CPO'),
    partner('cpo-x', 'DE*CPX', 'CPO'),
    partner('emp-a', 'DE-EMA', 'EMP'),
    partner('emp-b', 'DE-EMB', 'EMP', { serviceTypes: { authorization: online({ broadcast: true }) } }),
    partner('emp-x', 'DE-EMX', 'EMP'),
  ];
}

export const GHOST: CertSubject = { key: 'ghost', id: 'DE*GHO', role: 'CPO', name: 'Not in the world' };

export function testWorld(hub: Partial<HubSettings> = {}, partners = testPartners()): World {
  const contracts: Contract[] = [
    { cpo: 'DE*CPA', emp: 'DE-EMA', services: [...SERVICE_TYPES] },
    { cpo: 'DE*CPA', emp: 'DE-EMB', services: ['authorization'] },
  ];
  return {
    version: 1,
    source: 'test',
    hub: {
      host: '127.0.0.1',
      port: 0,
      basePath: '/api/oicp',
      transport: 'mtls',
      timeouts: { authorizeMs: 2000, remoteStartMs: 2000, forwardMs: 2000 },
      aup: { enabled: true, perMinute: {} },
      bodyLimitBytes: 64 * 1024,
      certsDir: 'unused',
      recorder: { maxExchanges: 100_000, maxMiB: 128 },
      heapGrowthPercent: 0,
      ...hub,
    },
    partners,
    contracts,
    evseData: {},
    virtual: { stations: [], emps: [] },
  };
}

/** The CPO under test most tests certify: ACME, DE*ACM, under its profile key; no service type unless given. */
export function acmeUnderTest(extra: Partial<Partner> = {}): Partner {
  return { ...partner('under-test-deacm', 'DE*ACM', 'CPO'), name: 'ACME', ...extra };
}
