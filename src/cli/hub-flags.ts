import {
  HUB_ENV_VARIABLES,
  type HubSettingsOverrides,
  isHost,
  serverNamesProblem,
  splitServerNames,
} from '../config/world/settings.js';
import { UsageError } from '../shared/errors.js';

/**
 * The hub's flags, one parser and one usage text for `serve`, `run` and `demo`: the same flag means the same thing,
 * is checked the same way and is explained in the same words wherever it is accepted.
 */

/** node:util parseArgs options of the hub flags, spread into each command's own. */
export const HUB_FLAG_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  transport: { type: 'string' },
  'base-path': { type: 'string' },
  'hub-name': { type: 'string', multiple: true },
} as const;

/** The values parseArgs gives for HUB_FLAG_OPTIONS. */
export interface HubFlagValues {
  host?: string | undefined;
  port?: string | undefined;
  transport?: string | undefined;
  'base-path'?: string | undefined;
  'hub-name'?: string[] | undefined;
}

/** The usage lines of the hub flags, aligned like the rest of every command's option list. */
export const HUB_FLAGS_USAGE = `Hub options (serve, run and demo take the same):
  --host <host>                 listen address (default 127.0.0.1: this machine only); 0.0.0.0 or :: listens on
                                every interface, and this machine still calls the hub at 127.0.0.1 / ::1
  --port <n>                    listen port; 0 picks a free one (default from world.yaml: 8443)
  --transport <mtls|http>       mutual TLS as Hubject runs it (default), or plain HTTP for partners without TLS
  --base-path <path>            OICP base path (default /api/oicp)
  --hub-name <name>             an extra DNS name or IP address for the hub's server certificate, e.g. a CI service
                                name or this machine's address (repeatable or comma-separated); an existing
                                certificate lacking one is reissued under the same CA. A specific --host is added
                                by itself`;

/** The OICP_SIM_* variables, each with the flag or setting it stands for, and the precedence. */
export function hubEnvUsage(): string {
  // Total over the overrides, so a new variable cannot be listed without saying what it sets.
  const flagOf: Record<keyof HubSettingsOverrides, string> = {
    host: '--host',
    port: '--port',
    basePath: '--base-path',
    transport: '--transport',
    serverNames: '--hub-name (comma-separated)',
    authorizeTimeoutMs: 'hub.timeouts.authorizeMs',
    remoteStartTimeoutMs: 'hub.timeouts.remoteStartMs',
    forwardTimeoutMs: 'hub.timeouts.forwardMs',
    aup: 'hub.aup.enabled (true or false)',
    certsDir: 'hub.certsDir',
    transcriptPath: 'hub.transcriptPath',
    recorderMaxMiB: 'hub.recorder.maxMiB',
    heapGrowthPercent: 'hub.heapGrowthPercent',
  };
  const width = Math.max(...HUB_ENV_VARIABLES.map((v) => v.name.length));
  return [
    'Environment variables (each as the flag or world.yaml setting named; an empty one counts as unset):',
    ...HUB_ENV_VARIABLES.map((v) => `  ${v.name.padEnd(width)}  ${flagOf[v.setting]}`),
    'Precedence: world.yaml < OICP_SIM_* environment variables < command-line flags.',
  ].join('\n');
}

/** The hub flags as overrides (undefined: not given); a malformed value is a UsageError naming the flag. */
export function parseHubFlags(values: HubFlagValues): HubSettingsOverrides {
  const { host, port, transport } = values;
  const basePath = values['base-path'];
  if (host !== undefined && !isHost(host))
    throw new UsageError(
      `--host must be a host name or IP address without brackets or port (e.g. 127.0.0.1, 0.0.0.0, ::), got "${host}"`,
    );
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535))
    throw new UsageError(`--port must be a whole number from 0 to 65535 (0 picks a free port), got "${port}"`);
  if (transport !== undefined && transport !== 'mtls' && transport !== 'http')
    throw new UsageError(`--transport must be mtls or http, got "${transport}"`);
  if (basePath !== undefined && !/^\/[^\s?#]*$/.test(basePath))
    throw new UsageError(`--base-path must be a path starting with / (e.g. /api/oicp), got "${basePath}"`);
  let serverNames: string[] | undefined;
  if (values['hub-name'] !== undefined) {
    serverNames = splitServerNames(values['hub-name']);
    const problem = serverNamesProblem(serverNames);
    if (problem !== undefined || serverNames.length === 0)
      throw new UsageError(
        `--hub-name takes DNS names or IP addresses, e.g. --hub-name hbs,192.0.2.10: ${problem ?? 'none given'}`,
      );
  }
  const overrides: HubSettingsOverrides = {};
  if (host !== undefined) overrides.host = host;
  if (port !== undefined) overrides.port = Number(port);
  if (transport !== undefined) overrides.transport = transport;
  if (basePath !== undefined) overrides.basePath = basePath;
  if (serverNames !== undefined) overrides.serverNames = serverNames;
  return overrides;
}
