import { describe, expect, it } from 'vitest';
import { loadWorld } from '../../../../src/config/world/load.js';
import {
  applyHubOverrides,
  findPartner,
  hasContract,
  hubSettingsFromEnv,
} from '../../../../src/config/world/settings.js';
import { ConfigError } from '../../../../src/shared/errors.js';

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('hubSettingsFromEnv', () => {
  it('should read every OICP_SIM_* variable', () => {
    const overrides = hubSettingsFromEnv({
      OICP_SIM_HOST: '0.0.0.0',
      OICP_SIM_PORT: '9000',
      OICP_SIM_BASE_PATH: '/oicp',
      OICP_SIM_TRANSPORT: 'http',
      OICP_SIM_AUTHORIZE_TIMEOUT_MS: '5000',
      OICP_SIM_REMOTE_START_TIMEOUT_MS: '40000',
      OICP_SIM_FORWARD_TIMEOUT_MS: '15000',
      OICP_SIM_AUP: 'FALSE',
      OICP_SIM_CERTS_DIR: '/tmp/certs',
      OICP_SIM_TRANSCRIPT: 'reports/t.jsonl',
      OICP_SIM_RECORDER_MAX_MIB: '512',
      OICP_SIM_HEAP_GROWTH_PERCENT: '0',
    });
    expect(overrides).toEqual({
      host: '0.0.0.0',
      port: 9000,
      basePath: '/oicp',
      transport: 'http',
      authorizeTimeoutMs: 5000,
      remoteStartTimeoutMs: 40000,
      forwardTimeoutMs: 15000,
      aup: false,
      certsDir: '/tmp/certs',
      transcriptPath: 'reports/t.jsonl',
      recorderMaxMiB: 512,
      heapGrowthPercent: 0,
    });
  });

  it('should take a heap growth from 0 to 400 percent and refuse one outside, saying what 0 means', () => {
    expect(hubSettingsFromEnv({ OICP_SIM_HEAP_GROWTH_PERCENT: '400' })).toEqual({ heapGrowthPercent: 400 });
    for (const raw of ['401', '-5', '35%', '1.5']) {
      expect(thrown(() => hubSettingsFromEnv({ OICP_SIM_HEAP_GROWTH_PERCENT: raw })).fieldErrors).toEqual([
        {
          path: 'OICP_SIM_HEAP_GROWTH_PERCENT',
          message: `must be a whole number from 0 to 400 (0 leaves it to V8), got \`${raw}\``,
        },
      ]);
    }
  });

  it('should ignore unset and empty variables and unrelated ones', () => {
    expect(hubSettingsFromEnv({ OICP_SIM_PORT: '', PATH: '/usr/bin', OICP_SIM_HOST: undefined })).toEqual({});
  });

  it('should refuse bad values, naming each variable and what it accepts', () => {
    const error = thrown(() =>
      hubSettingsFromEnv({
        OICP_SIM_PORT: '70000',
        OICP_SIM_TRANSPORT: 'tls',
        OICP_SIM_AUP: 'yes',
        OICP_SIM_AUTHORIZE_TIMEOUT_MS: '0',
        OICP_SIM_BASE_PATH: 'api',
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      'invalid environment variable(s): OICP_SIM_PORT, OICP_SIM_BASE_PATH, OICP_SIM_TRANSPORT, ' +
        'OICP_SIM_AUTHORIZE_TIMEOUT_MS, OICP_SIM_AUP',
    );
    expect(error.fieldErrors).toEqual([
      { path: 'OICP_SIM_PORT', message: 'must be a whole number from 0 to 65535 (0 picks a free port), got `70000`' },
      { path: 'OICP_SIM_BASE_PATH', message: 'must be a path starting with /, got `api`' },
      { path: 'OICP_SIM_TRANSPORT', message: 'must be mtls or http, got `tls`' },
      {
        path: 'OICP_SIM_AUTHORIZE_TIMEOUT_MS',
        message: 'must be a whole number of milliseconds greater than 0, got `0`',
      },
      { path: 'OICP_SIM_AUP', message: 'must be true or false, got `yes`' },
    ]);
  });

  it('should refuse a port that is not a whole number', () => {
    expect(thrown(() => hubSettingsFromEnv({ OICP_SIM_PORT: '80.5' })).fieldErrors[0]?.path).toBe('OICP_SIM_PORT');
  });
});

describe('applyHubOverrides', () => {
  it('should layer file < env < flags, later layers winning field by field', async () => {
    const world = await loadWorld();
    const env = hubSettingsFromEnv({ OICP_SIM_PORT: '9001', OICP_SIM_HOST: '0.0.0.0', OICP_SIM_AUP: 'false' });
    const flags = { port: 9002, remoteStartTimeoutMs: 40_000, host: undefined };
    const { hub } = applyHubOverrides(world, env, flags);
    expect(hub.port).toBe(9002);
    expect(hub.host).toBe('0.0.0.0');
    expect(hub.aup.enabled).toBe(false);
    expect(hub.timeouts).toEqual({ authorizeMs: 10_000, remoteStartMs: 40_000, forwardMs: 30_000 });
    expect(hub.basePath).toBe('/api/oicp');
  });

  it('should return a new deep-frozen world and leave the original untouched', async () => {
    const world = await loadWorld();
    const next = applyHubOverrides(world, { transcriptPath: 'reports/x.jsonl', basePath: '/hub/' });
    expect(next).not.toBe(world);
    expect(next.hub).toMatchObject({ transcriptPath: 'reports/x.jsonl', basePath: '/hub' });
    expect(world.hub.transcriptPath).toBeUndefined();
    expect(Object.isFrozen(next.hub.timeouts)).toBe(true);
    expect(Object.isFrozen(next.partners[0])).toBe(true);
    expect(next.partners).toEqual(world.partners);
  });

  it('should validate the result: port range, basePath, positive timeouts', async () => {
    const world = await loadWorld();
    const error = thrown(() =>
      applyHubOverrides(world, { port: 65536, basePath: 'api', forwardTimeoutMs: 0, authorizeTimeoutMs: -1 }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.fieldErrors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'hub.port: must be a whole number from 0 to 65535, got 65536',
      'hub.basePath: must be a path starting with / (e.g. /api/oicp), got "api"',
      'hub.timeouts.authorizeMs: must be a whole number of milliseconds greater than 0, got -1',
      'hub.timeouts.forwardMs: must be a whole number of milliseconds greater than 0, got 0',
    ]);
  });

  it('should refuse a host that is no host name or address, before any DNS lookup', async () => {
    const world = await loadWorld();
    for (const host of ['bad..host', 'a b', '[::1]', '127.0.0.1:8443', '-x', '']) {
      const error = thrown(() => applyHubOverrides(world, { host }));
      expect(
        error.fieldErrors.map((e) => e.path),
        host,
      ).toEqual(['hub.host']);
      expect(error.fieldErrors[0]!.message).toContain('a host name or IP address');
    }
    for (const host of ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'hbs.example.com', 'my-host']) {
      expect(applyHubOverrides(world, { host }).hub.host).toBe(host);
    }
  });

  it('should accept port 0 (a free port)', async () => {
    expect(applyHubOverrides(await loadWorld(), { port: 0 }).hub.port).toBe(0);
  });
});

describe('findPartner and hasContract', () => {
  it('should find partners by key or by OICP ID in any spelling', async () => {
    const world = await loadWorld();
    expect(findPartner(world, 'virtual-cpo')?.id).toBe('DE*VCP');
    expect(findPartner(world, 'DEVCP')?.key).toBe('virtual-cpo');
    expect(findPartner(world, 'de*vcp')?.key).toBe('virtual-cpo');
    expect(findPartner(world, 'DE*VEM')?.key).toBe('virtual-emp');
    expect(findPartner(world, 'DE*VCP', 'EMP')).toBeUndefined();
    expect(findPartner(world, 'nobody')).toBeUndefined();
  });

  it('should answer contracts by ID or key and refuse unknown or reversed sides', async () => {
    const world = await loadWorld();
    expect(hasContract(world, 'DE*MYC', 'DE-MYE', 'authorization')).toBe(true);
    expect(hasContract(world, 'my-cpo', 'virtual-emp', 'dynamicPricing')).toBe(true);
    expect(hasContract(world, 'DE-MYE', 'DE*MYC', 'authorization')).toBe(false);
    expect(hasContract(world, 'DE*XXX', 'DE-MYE', 'authorization')).toBe(false);
  });
});
