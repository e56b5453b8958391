import { isIP } from 'node:net';
import { isWildcardHost } from '../../net/local-guards.js';
import type { Role, ServiceType } from '../../oicp/operations.js';
import { ConfigError, type FieldError } from '../../shared/errors.js';
import { SERVER_DNS_NAMES, SERVER_IPS } from '../../tls/spec.js';
import { deepFreeze } from '../freeze.js';
import { lookupPartner, normalizeBasePath } from './resolve.js';
import { MAX_HEAP_GROWTH_PERCENT } from './schema.js';
import type { HubSettings, Partner, World } from './types.js';

/**
 * Hub settings layered over world.yaml: file < OICP_SIM_* environment < command-line flags (later layers win), then
 * validated and frozen once, as DESIGN.md lesson 4 asks. Also the lookups other modules need on a World.
 */

/** Hub settings a caller may override; every field optional, undefined means "keep the lower layer's value". */
export interface HubSettingsOverrides {
  host?: string;
  port?: number;
  basePath?: string;
  transport?: 'mtls' | 'http';
  authorizeTimeoutMs?: number;
  remoteStartTimeoutMs?: number;
  forwardTimeoutMs?: number;
  aup?: boolean;
  certsDir?: string;
  transcriptPath?: string;
  recorderMaxMiB?: number;
  heapGrowthPercent?: number;
  /** Extra DNS names and IP addresses for the hub's server certificate; a later layer replaces the list. */
  serverNames?: string[];
}

/** More names than this in one certificate is a typo or a loop in a script, not a deployment. */
export const MAX_SERVER_NAMES = 32;

type Parser = (raw: string) => { value: unknown } | { accepts: string };

const text: Parser = (raw) => ({ value: raw });
const integer =
  (min: number, max: number, accepts: string): Parser =>
  (raw) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max ? { value: n } : { accepts };
  };
const oneOf =
  (...values: string[]): Parser =>
  (raw) =>
    values.includes(raw) ? { value: raw } : { accepts: values.join(' or ') };
const boolean: Parser = (raw) => {
  const lower = raw.toLowerCase();
  return lower === 'true' || lower === 'false' ? { value: lower === 'true' } : { accepts: 'true or false' };
};
const startsWithSlash: Parser = (raw) => (raw.startsWith('/') ? { value: raw } : { accepts: 'a path starting with /' });
const timeout = integer(1, Number.MAX_SAFE_INTEGER, 'a whole number of milliseconds greater than 0');
const serverNames: Parser = (raw) => {
  const names = splitServerNames([raw]);
  const problem = serverNamesProblem(names);
  return problem === undefined
    ? { value: names }
    : { accepts: `comma-separated host names or IP addresses (${problem})` };
};

/** Each variable, the override it sets, and how its text is read. */
const ENV: readonly [string, keyof HubSettingsOverrides, Parser][] = [
  ['OICP_SIM_HOST', 'host', text],
  ['OICP_SIM_PORT', 'port', integer(0, 65535, 'a whole number from 0 to 65535 (0 picks a free port)')],
  ['OICP_SIM_BASE_PATH', 'basePath', startsWithSlash],
  ['OICP_SIM_TRANSPORT', 'transport', oneOf('mtls', 'http')],
  ['OICP_SIM_AUTHORIZE_TIMEOUT_MS', 'authorizeTimeoutMs', timeout],
  ['OICP_SIM_REMOTE_START_TIMEOUT_MS', 'remoteStartTimeoutMs', timeout],
  ['OICP_SIM_FORWARD_TIMEOUT_MS', 'forwardTimeoutMs', timeout],
  ['OICP_SIM_AUP', 'aup', boolean],
  ['OICP_SIM_CERTS_DIR', 'certsDir', text],
  ['OICP_SIM_TRANSCRIPT', 'transcriptPath', text],
  ['OICP_SIM_RECORDER_MAX_MIB', 'recorderMaxMiB', integer(1, 1024 * 1024, 'a whole number of MiB greater than 0')],
  [
    'OICP_SIM_HEAP_GROWTH_PERCENT',
    'heapGrowthPercent',
    integer(0, MAX_HEAP_GROWTH_PERCENT, `a whole number from 0 to ${MAX_HEAP_GROWTH_PERCENT} (0 leaves it to V8)`),
  ],
  ['OICP_SIM_HUB_NAMES', 'serverNames', serverNames],
];

/** The OICP_SIM_* variables and the setting each overrides, for help texts (so they cannot drift from ENV). */
export const HUB_ENV_VARIABLES: readonly { name: string; setting: keyof HubSettingsOverrides }[] = ENV.map(
  ([name, setting]) => ({ name, setting }),
);

/** Reads the OICP_SIM_* variables; an empty one counts as unset, a malformed one is a ConfigError naming it. */
export function hubSettingsFromEnv(env: NodeJS.ProcessEnv): HubSettingsOverrides {
  const overrides: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const [name, field, parse] of ENV) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const parsed = parse(raw);
    if ('value' in parsed) overrides[field] = parsed.value;
    else errors.push({ path: name, message: `must be ${parsed.accepts}, got \`${raw}\`` });
  }
  if (errors.length > 0) {
    const names = errors.map((e) => e.path).join(', ');
    throw new ConfigError('CONFIG_INVALID', `invalid environment variable(s): ${names}`, { fieldErrors: errors });
  }
  return overrides as HubSettingsOverrides;
}

type Value<K extends keyof HubSettingsOverrides> = NonNullable<HubSettingsOverrides[K]>;

/** A new deep-frozen World whose hub settings are the file's with `layers` applied in order (later wins). */
export function applyHubOverrides(world: World, ...layers: HubSettingsOverrides[]): World {
  const hub: HubSettings = structuredClone(world.hub);
  for (const layer of layers) {
    const set = <K extends keyof HubSettingsOverrides>(key: K, apply: (v: Value<K>) => void): void => {
      const value = layer[key];
      if (value !== undefined) apply(value);
    };
    set('host', (v) => (hub.host = v));
    set('port', (v) => (hub.port = v));
    set('basePath', (v) => (hub.basePath = v));
    set('transport', (v) => (hub.transport = v));
    set('authorizeTimeoutMs', (v) => (hub.timeouts.authorizeMs = v));
    set('remoteStartTimeoutMs', (v) => (hub.timeouts.remoteStartMs = v));
    set('forwardTimeoutMs', (v) => (hub.timeouts.forwardMs = v));
    set('aup', (v) => (hub.aup.enabled = v));
    set('certsDir', (v) => (hub.certsDir = v));
    set('transcriptPath', (v) => (hub.transcriptPath = v));
    set('recorderMaxMiB', (v) => (hub.recorder.maxMiB = v));
    set('heapGrowthPercent', (v) => (hub.heapGrowthPercent = v));
    set('serverNames', (v) => (hub.serverNames = [...v]));
  }
  const errors = checkHub(hub);
  if (errors.length > 0) throw new ConfigError('CONFIG_INVALID', 'invalid hub settings', { fieldErrors: errors });
  hub.basePath = normalizeBasePath(hub.basePath);
  return deepFreeze({ ...structuredClone(world), hub });
}

/** An IP address or an RFC 1123 host name: a typo like `bad..host` is refused here, not after a slow DNS lookup. */
export function isHost(host: string): boolean {
  return (
    isIP(host) !== 0 ||
    /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(
      host,
    )
  );
}

/** The same rules as world.yaml's schema, for values that arrive from the environment or flags. */
function checkHub(hub: HubSettings): FieldError[] {
  const errors: FieldError[] = [];
  const check = (ok: boolean, path: string, must: string, got: unknown): void => {
    if (!ok) errors.push({ path, message: `must be ${must}, got ${JSON.stringify(got) ?? String(got)}` });
  };
  const positive = (n: number): boolean => Number.isSafeInteger(n) && n > 0;
  check(
    typeof hub.host === 'string' && isHost(hub.host),
    'hub.host',
    'a host name or IP address without brackets or port (e.g. 127.0.0.1, 0.0.0.0, ::, localhost)',
    hub.host,
  );
  const port = hub.port;
  check(Number.isInteger(port) && port >= 0 && port <= 65535, 'hub.port', 'a whole number from 0 to 65535', port);
  check(/^\/[^\s?#]*$/.test(hub.basePath), 'hub.basePath', 'a path starting with / (e.g. /api/oicp)', hub.basePath);
  check(hub.transport === 'mtls' || hub.transport === 'http', 'hub.transport', 'mtls or http', hub.transport);
  for (const key of ['authorizeMs', 'remoteStartMs', 'forwardMs'] as const) {
    const ms = hub.timeouts[key];
    check(positive(ms), `hub.timeouts.${key}`, 'a whole number of milliseconds greater than 0', ms);
  }
  const growth = hub.heapGrowthPercent;
  check(
    Number.isSafeInteger(growth) && growth >= 0 && growth <= MAX_HEAP_GROWTH_PERCENT,
    'hub.heapGrowthPercent',
    `a whole number from 0 to ${MAX_HEAP_GROWTH_PERCENT}`,
    growth,
  );
  check(typeof hub.aup.enabled === 'boolean', 'hub.aup.enabled', 'true or false', hub.aup.enabled);
  check(typeof hub.certsDir === 'string' && hub.certsDir.length > 0, 'hub.certsDir', 'a non-empty path', hub.certsDir);
  const transcript = hub.transcriptPath;
  const transcriptOk = transcript === undefined || (typeof transcript === 'string' && transcript.length > 0);
  check(transcriptOk, 'hub.transcriptPath', 'a non-empty path', transcript);
  if (hub.serverNames !== undefined) {
    const problem = Array.isArray(hub.serverNames) ? serverNamesProblem(hub.serverNames) : 'not a list';
    check(problem === undefined, 'hub.serverNames', `host names or IP addresses (${problem})`, hub.serverNames);
  }
  return errors;
}

/**
 * `--hub-name a,b --hub-name c` and `OICP_SIM_HUB_NAMES=a, b`: split at commas, trimmed, empty parts dropped, DNS
 * names lower-cased (they compare case-insensitively) and duplicates removed.
 */
export function splitServerNames(values: readonly string[]): string[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((n) => (isIP(n) ? n : n.toLowerCase().replace(/\.$/, '')));
  return [...new Set(names)];
}

/** Why a list of certificate names is unusable, or undefined when every entry is a host name or IP address. */
export function serverNamesProblem(names: readonly unknown[]): string | undefined {
  if (names.length > MAX_SERVER_NAMES) return `at most ${MAX_SERVER_NAMES}, got ${names.length}`;
  const bad = names.find((n) => typeof n !== 'string' || !isHost(n));
  if (bad === undefined) return undefined;
  const shown = JSON.stringify(bad) ?? String(bad);
  return typeof bad === 'string' && /^\[.*\]$/.test(bad)
    ? `${shown}: write an IPv6 address without brackets`
    : `${shown} is no host name or IP address`;
}

/**
 * The names the hub's server certificate must carry besides localhost, 127.0.0.1 and ::1 (which it always does):
 * the configured serverNames, and the listen host when it is one specific address or name, since that is what the
 * printed URLs and a partner elsewhere call; never a wildcard (0.0.0.0, ::), which is no address to call.
 */
export function hubCertificateNames(hub: Pick<HubSettings, 'host' | 'serverNames'>): string[] {
  const always = new Set([...SERVER_DNS_NAMES, ...SERVER_IPS]);
  const listen = isWildcardHost(hub.host) ? [] : [hub.host];
  return splitServerNames([...(hub.serverNames ?? []), ...listen]).filter((n) => !always.has(n));
}

/** A partner by key, or by OICP ID in any spelling (`DE*ABC`, `DEABC`); `role` limits the search to one role. */
export function findPartner(world: World, idOrKey: string, role?: Role): Partner | undefined {
  return lookupPartner(world.partners, idOrKey, role);
}

/** Whether the CPO offers `service` to the EMP; each side given by OICP ID (any spelling) or partner key. */
export function hasContract(world: World, cpoId: string, empId: string, service: ServiceType): boolean {
  const cpo = findPartner(world, cpoId, 'CPO');
  const emp = findPartner(world, empId, 'EMP');
  if (!cpo || !emp) return false;
  // Contract sides are resolved again, so a World built by hand (tests) may name them by key or in any spelling.
  return world.contracts.some(
    (c) =>
      c.services.includes(service) &&
      lookupPartner(world.partners, c.cpo, 'CPO') === cpo &&
      lookupPartner(world.partners, c.emp, 'EMP') === emp,
  );
}
