import { describe, expect, it } from 'vitest';
import { demoCommand, parseDemoArgs } from '../../../src/cli/commands/demo.js';
import { parseRunArgs, runCommand } from '../../../src/cli/commands/run.js';
import { parseServeArgs, serveCommand } from '../../../src/cli/commands/serve.js';
import { HUB_FLAGS_USAGE, parseHubFlags } from '../../../src/cli/hub-flags.js';
import { HUB_ENV_VARIABLES, hubSettingsFromEnv } from '../../../src/config/world/settings.js';
import { SimError } from '../../../src/shared/errors.js';

/** serve, run and demo read --host, --port, --transport, --base-path and --hub-name through one parser. */

const parsers: Record<string, (argv: string[]) => unknown> = {
  serve: (argv) => parseServeArgs(argv).overrides,
  run: (argv) => parseRunArgs(['--partner', 'p.yaml', ...argv]).hub,
  demo: (argv) => parseDemoArgs(argv).hub,
};

function usageError(fn: () => unknown): SimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SimError) return e;
    throw e;
  }
  throw new Error('expected a usage error');
}

/** serve's overrides hold its other flags too, undefined when not given; only the hub flags' fields are compared. */
function defined(o: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o as Record<string, unknown>).filter(([, v]) => v !== undefined));
}

describe('the hub flags', () => {
  const argv = [
    '--host',
    '0.0.0.0',
    '--port',
    '0',
    '--transport',
    'http',
    '--base-path',
    '/hub/oicp',
    '--hub-name',
    'hbs,192.0.2.10',
    '--hub-name',
    ' CI.Example.com ,fd00::2',
  ];

  it('are parsed to the same overrides by serve, run and demo', () => {
    const expected = {
      host: '0.0.0.0',
      port: 0,
      transport: 'http',
      basePath: '/hub/oicp',
      serverNames: ['hbs', '192.0.2.10', 'ci.example.com', 'fd00::2'],
    };
    for (const [name, parse] of Object.entries(parsers)) expect(defined(parse(argv)), name).toEqual(expected);
    for (const [name, parse] of Object.entries(parsers)) expect(defined(parse([])), name).toEqual({});
  });

  it('are refused with the same message by serve, run and demo', () => {
    const bad: Array<[string[], string]> = [
      [['--port', '65536'], '--port must be a whole number from 0 to 65535'],
      [['--port', '80.5'], '--port must be a whole number'],
      [['--transport', 'tls'], '--transport must be mtls or http, got "tls"'],
      [['--base-path', 'api'], '--base-path must be a path starting with /'],
      [['--host', 'bad..host'], '--host must be a host name or IP address'],
      [['--host', '[::1]'], '--host must be a host name or IP address'],
      [['--hub-name', 'a b'], '--hub-name takes DNS names or IP addresses'],
      [['--hub-name', '[fd00::2]'], 'write an IPv6 address without brackets'],
      [['--hub-name', ','], 'none given'],
      [['--hub-name', Array.from({ length: 33 }, (_, i) => `h${i}`).join(',')], 'at most 32'],
    ];
    for (const [args, message] of bad) {
      const messages = Object.values(parsers).map((parse) => usageError(() => parse(args)));
      for (const e of messages) {
        expect(e.code, args.join(' ')).toBe('USAGE');
        expect(e.message, args.join(' ')).toContain(message);
      }
      expect(new Set(messages.map((e) => e.message)).size, args.join(' ')).toBe(1);
    }
  });

  it('have one usage text, in serve, run and demo alike', () => {
    for (const command of [serveCommand, runCommand, demoCommand]) {
      expect(command.usage, command.name).toContain(HUB_FLAGS_USAGE);
      expect(command.usage, command.name).toContain(
        'Precedence: world.yaml < OICP_SIM_* environment variables < command-line flags.',
      );
    }
    expect(demoCommand.usage).toContain("demo and --port: each role's hub takes a free port unless --port gives one");
  });

  it('run --help names every OICP_SIM_* variable', () => {
    for (const { name } of HUB_ENV_VARIABLES) expect(runCommand.usage).toContain(name);
    expect(runCommand.usage).toMatch(/OICP_SIM_HUB_NAMES\s+--hub-name \(comma-separated\)/);
  });

  it('read OICP_SIM_HUB_NAMES as --hub-name reads its values', () => {
    expect(hubSettingsFromEnv({ OICP_SIM_HUB_NAMES: 'hbs, 192.0.2.10' })).toEqual({
      serverNames: parseHubFlags({ 'hub-name': ['hbs', '192.0.2.10'] }).serverNames,
    });
    expect(() => hubSettingsFromEnv({ OICP_SIM_HUB_NAMES: 'bad..name' })).toThrow(/OICP_SIM_HUB_NAMES/);
  });
});

describe('serve --control-token', () => {
  it('takes the flag, else OICP_SIM_CONTROL_TOKEN, and refuses a short or malformed token', () => {
    const token = 'a'.repeat(24);
    expect(parseServeArgs(['--control-token', token]).controlToken).toBe(token);
    expect(parseServeArgs([], { OICP_SIM_CONTROL_TOKEN: token }).controlToken).toBe(token);
    expect(parseServeArgs(['--control-token', token], { OICP_SIM_CONTROL_TOKEN: 'b'.repeat(24) }).controlToken).toBe(
      token,
    );
    expect(parseServeArgs([], { OICP_SIM_CONTROL_TOKEN: ' ' }).controlToken).toBeUndefined();
    expect(usageError(() => parseServeArgs(['--control-token', 'short'])).message).toContain(
      '--control-token must be 16 to 256 characters long, got 5',
    );
    expect(usageError(() => parseServeArgs([], { OICP_SIM_CONTROL_TOKEN: `${'a'.repeat(20)} b` })).message).toContain(
      'OICP_SIM_CONTROL_TOKEN may hold letters, digits',
    );
  });
});
