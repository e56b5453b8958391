import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultWorldDir, loadWorld } from '../../../../src/config/world/load.js';
import { resolveHub } from '../../../../src/config/world/resolve.js';
import { findPartner, hasContract } from '../../../../src/config/world/settings.js';
import { SERVICE_TYPES } from '../../../../src/oicp/operations.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url)).replace(/\/$/, '');

describe('loadWorld: the embedded default world', () => {
  it('should load with no arguments from the project simulator/ folder', async () => {
    const world = await loadWorld();
    expect(world.version).toBe(1);
    expect(world.source).toBe(defaultWorldDir());
    expect(defaultWorldDir()).toMatch(/simulator$/);
  });

  it('should resolve the hub defaults documented in world.yaml', async () => {
    const { hub } = await loadWorld();
    expect(hub).toEqual({
      host: '127.0.0.1',
      port: 8443,
      basePath: '/api/oicp',
      transport: 'mtls',
      timeouts: { authorizeMs: 10_000, remoteStartMs: 60_000, forwardMs: 30_000 },
      aup: { enabled: true, perMinute: {}, pushProcessingMs: 50 },
      bodyLimitBytes: 4 * 1024 * 1024,
      certsDir: 'certs',
      recorder: { maxExchanges: 100_000, maxMiB: 32 },
      heapGrowthPercent: 35,
    });
  });

  it('should spell out exactly the built-in defaults in world.yaml, as its comment claims', async () => {
    expect((await loadWorld()).hub).toEqual(resolveHub());
  });

  it('should hold the six partners with their IDs and roles', async () => {
    const world = await loadWorld();
    const summary = world.partners.map((p) => [p.key, p.id, p.role]);
    expect(summary).toEqual([
      ['my-cpo', 'DE*MYC', 'CPO'],
      ['my-emp', 'DE-MYE', 'EMP'],
      ['reference-cpo', 'DE*RCP', 'CPO'],
      ['reference-emp', 'DE-REM', 'EMP'],
      ['virtual-cpo', 'DE*VCP', 'CPO'],
      ['virtual-emp', 'DE-VEM', 'EMP'],
    ]);
    expect(findPartner(world, 'virtual-cpo')?.name).toBe('Virtual CPO (hbs-sim)');
    expect(findPartner(world, 'DE-VEM')?.name).toBe('Virtual EMP (hbs-sim)');
  });

  it('should give the virtual and example partners their Service Type Settings', async () => {
    const world = await loadWorld();
    const vcp = findPartner(world, 'virtual-cpo')?.serviceTypes;
    expect(vcp?.authorization).toEqual({
      onlineRequest: true,
      broadcast: false,
      operationUrls: {},
      clientCertification: true,
    });
    expect(vcp?.reservation?.onlineRequest).toBe(true);
    const vem = findPartner(world, 'virtual-emp')?.serviceTypes;
    expect(vem?.authorization).toMatchObject({ onlineRequest: true, broadcast: true });
    expect(vem?.chargingNotifications?.onlineRequest).toBe(true);
    expect(findPartner(world, 'my-emp')?.serviceTypes.authorization?.serviceUrl).toBe('https://127.0.0.1:9443/oicp');
    for (const key of ['virtual-cpo', 'virtual-emp', 'reference-cpo', 'reference-emp']) {
      const settings = Object.values(findPartner(world, key)?.serviceTypes ?? {});
      expect(
        settings.every((s) => s.serviceUrl === undefined),
        key,
      ).toBe(true);
    }
  });

  it('should contract every CPO with every EMP for every service type', async () => {
    const world = await loadWorld();
    const cpos = world.partners.filter((p) => p.role === 'CPO');
    const emps = world.partners.filter((p) => p.role === 'EMP');
    expect(world.contracts).toHaveLength(cpos.length * emps.length);
    for (const cpo of cpos) {
      for (const emp of emps) {
        for (const service of SERVICE_TYPES) expect(hasContract(world, cpo.id, emp.id, service)).toBe(true);
      }
    }
  });

  it('should give the virtual station four EVSE records for DE*VCP, exactly one not Hubject-compatible (for 604)', async () => {
    const world = await loadWorld();
    const records = world.virtual.stations[0]!.evseData as { EvseID: string; IsHubjectCompatible: boolean }[];
    // The station pushes them itself at start, so the hub holds no EVSE data beforehand.
    expect(Object.keys(world.evseData)).toEqual([]);
    expect(records.map((r) => r.EvseID)).toEqual([
      'DE*VCP*E0001*1',
      'DE*VCP*E0001*2',
      'DE*VCP*E0002*1',
      'DE*VCP*E0003*1',
    ]);
    expect(records.filter((r) => !r.IsHubjectCompatible)).toHaveLength(1);
  });

  it('should deep-freeze the world', async () => {
    const world = await loadWorld();
    expect(Object.isFrozen(world)).toBe(true);
    expect(Object.isFrozen(world.hub.timeouts)).toBe(true);
    expect(Object.isFrozen(world.partners[0]?.serviceTypes.authorization?.operationUrls)).toBe(true);
    expect(Object.isFrozen(world.virtual.stations[0]?.evseData[0])).toBe(true);
    expect(() => {
      (world.hub as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('loadWorld: a small world using the less common features', () => {
  it('should apply defaults, keep overrides and normalise paths', async () => {
    const world = await loadWorld({ dir: fixture('valid-small') });
    expect(world.source).toBe(fixture('valid-small'));
    expect(world.hub).toMatchObject({
      port: 0,
      basePath: '/hub',
      timeouts: { authorizeMs: 10_000, remoteStartMs: 40_000 },
    });
    expect(world.hub.aup.perMinute).toEqual({ PullEvseStatus: 60 });
  });

  it('should resolve contract sides given by OICP ID in another spelling, and keep the services listed', async () => {
    const world = await loadWorld({ dir: fixture('valid-small') });
    expect(world.contracts).toEqual([{ cpo: 'DE*ACM', emp: 'DE-ACE', services: ['authorization', 'evseData'] }]);
    expect(hasContract(world, 'DEACM', 'DE*ACE', 'evseData')).toBe(true);
    expect(hasContract(world, 'DE*ACM', 'DE-ACE', 'reservation')).toBe(false);
  });

  it('should keep operation URLs verbatim and strip a trailing slash from serviceUrl', async () => {
    const world = await loadWorld({ dir: fixture('valid-small') });
    const authorization = findPartner(world, 'acme-cpo')?.serviceTypes.authorization;
    expect(authorization?.serviceUrl).toBe('https://cpo.example/oicp');
    expect(authorization?.operationUrls.AuthorizeRemoteStart).toBe(
      'https://cpo.example/remote/start?op={operatorID}&p={providerID}',
    );
  });

  it('should read locked, subPartnerIds and clientCertification, and accept EvseIDs of sub-operators', async () => {
    const world = await loadWorld({ dir: fixture('valid-small') });
    const emp = findPartner(world, 'DE-ACE', 'EMP');
    expect(emp).toMatchObject({ key: 'acme-emp', locked: true });
    expect(emp?.serviceTypes.authorization?.clientCertification).toBe(false);
    expect(findPartner(world, 'DE*ACM', 'CPO')?.subPartnerIds).toEqual(['DE*AC2']);
    expect(world.evseData['DE*ACM']).toHaveLength(2);
  });
});
