import { relative } from 'node:path';
import type { Role } from '../../oicp/operations.js';
import { parseFaultNames, REFERENCE_FAULT_NAMES, REFERENCE_FAULTS } from '../../partners/reference/faults.js';
import {
  parseQuirkNames,
  quirkSkips,
  REFERENCE_QUIRK_NAMES,
  REFERENCE_QUIRKS,
} from '../../partners/reference/quirks.js';
import { startReference } from '../../partners/reference/start.js';
import { createClock } from '../../shared/clock.js';
import { messageOf, UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { type Command, parseFlags } from '../command.js';
import { parseTimeScale, TIME_SCALE_PRESETS, TIME_SCALE_RANGE } from '../time-scale.js';
import { resolveWorld } from './serve.js';

const USAGE = `Usage: hbs-sim reference <cpo|emp> [options]

Runs the reference CPO or EMP: an OICP 2.3 backend written from the spec (src/partners/reference/), to read, to develop
against, and to see the harness at work. It listens for HBS on mutual TLS with its certificates from certs/
(made when missing), calls the hub like a real partner, serves a test API on loopback for the harness's
triggers, and writes its own partner profile. Then, in another terminal:
  hbs-sim run --partner <profile> --time-scale <same x>

Options:
  --hub <url>           the hub's OICP base URL (default from world.yaml: https://127.0.0.1:8443/api/oicp)
  --port <n>            OICP endpoint port (default: a free one; the profile says which)
  --test-port <n>       test API port (default: a free one)
  --http                serve its OICP endpoint on plain HTTP, as a local backend without TLS (it still calls
                        the hub over mutual TLS with its certificate)
  --custom-urls         serve each operation at a path of its own (/partner-api/authorize-remote-start) instead
                        of the standard OICP paths, and register full per-operation URLs with a query string
  --ocpp                CPO: also run its CSMS (loopback, one OCPP 1.6-J charge point per EVSE); the profile names
                        the charge points instead of station triggers, and \`hbs-sim check\` boots them
  --profile-out <file>  where to write its partner profile (default reports/profiles/reference-<role>.yaml)
  --fault <name>        break one rule on purpose (repeatable); --list-faults lists them
  --list-faults         list the faults of both reference partners and the scenarios that catch each, then
                        their quirks
  --quirk <name>        behave like real backends do without breaking a rule (repeatable): the harness must
                        still pass it; --list-quirks lists them
  --list-quirks         list the quirks of both reference partners
  --time-scale <x>      real (default: 1), fast (${TIME_SCALE_PRESETS.fast}) or a number from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max}; the same as hbs-sim run
  --world <dir>         simulator world (default: the embedded simulator/)`;

export const referenceCommand: Command = {
  name: 'reference',
  summary: 'run the reference CPO or EMP backend (with faults on demand) and write its partner profile',
  usage: USAGE,
  async run(ctx) {
    const args = parseReferenceArgs(ctx.argv);
    if (args.listFaults) {
      for (const role of ['CPO', 'EMP'] as const) {
        ctx.out(`Reference ${role}:`);
        for (const name of REFERENCE_FAULT_NAMES.filter((n) => REFERENCE_FAULTS[n].role === role)) {
          const f = REFERENCE_FAULTS[name];
          ctx.out(`  ${name.padEnd(26)} ${f.description}  [caught by ${f.targets.join(', ')}]`);
        }
      }
    }
    if (args.listFaults || args.listQuirks) {
      for (const role of ['CPO', 'EMP'] as const) {
        ctx.out(`Reference ${role} quirks (not defects: every item that applies still passes):`);
        for (const name of REFERENCE_QUIRK_NAMES.filter((n) =>
          (REFERENCE_QUIRKS[n].roles as readonly Role[]).includes(role),
        )) {
          const skips = quirkSkips(name, role);
          ctx.out(
            `  ${name.padEnd(26)} ${REFERENCE_QUIRKS[name].description}${skips.length ? `  [skips ${skips.join(', ')}]` : ''}`,
          );
        }
      }
      return EXIT.OK;
    }
    const role = args.role!;
    const world = await resolveWorld(ctx, args.world, {});
    const profileOut = args.profileOut ?? `reports/profiles/reference-${role.toLowerCase()}.yaml`;
    const { partner, profilePath, certifyWith } = await startReference({
      role,
      world,
      cwd: ctx.cwd,
      clock: createClock(args.timeScale),
      timeScale: args.timeScale,
      logger: ctx.logger,
      profileOut,
      faults: args.faults,
      quirks: args.quirks,
      plainHttp: args.http,
      customUrls: args.customUrls,
      ...(args.ocpp ? { ocpp: true } : {}),
      ...(args.hub ? { hubUrl: args.hub } : {}),
      ...(args.port !== undefined ? { port: args.port } : {}),
      ...(args.testPort !== undefined ? { testPort: args.testPort } : {}),
    });
    const profile = relative(ctx.cwd, profilePath) || profilePath;
    const where = partner.operationUrls
      ? `${new URL(partner.oicpUrl).origin}/partner-api/… (a URL per operation, listed in the profile)`
      : partner.oicpUrl;
    ctx.out(`Reference ${role} ${partner.partnerId} listening for HBS at ${where}`);
    ctx.out(
      `Test API (loopback): ${partner.testUrl}${args.faults.length ? `   faults on: ${args.faults.join(', ')}` : ''}${args.quirks.length ? `   quirks on: ${args.quirks.join(', ')}` : ''}`,
    );
    if (partner.ocpp) {
      ctx.out(`CSMS (loopback): ${partner.ocpp.url}/<charge point>, ${partner.ocpp.chargePoints.length} charge points`);
    }
    ctx.out(`Partner profile: ${profile}`);
    ctx.out(`Certify it: ${certifyWith}`);
    ctx.out('Press Ctrl-C to stop.');
    await new Promise<void>((done) => {
      if (ctx.shutdownSignal.aborted) done();
      ctx.shutdownSignal.addEventListener('abort', () => done(), { once: true });
    });
    await partner.close();
    return EXIT.OK;
  },
};

interface ReferenceArgs {
  role?: Role;
  listFaults: boolean;
  listQuirks: boolean;
  hub?: string;
  port?: number;
  testPort?: number;
  profileOut?: string;
  faults: string[];
  quirks: string[];
  timeScale: number;
  world?: string;
  http: boolean;
  customUrls: boolean;
  ocpp: boolean;
}

export function parseReferenceArgs(argv: string[]): ReferenceArgs {
  const parsed = parseFlags(
    argv,
    {
      hub: { type: 'string' },
      port: { type: 'string' },
      'test-port': { type: 'string' },
      'profile-out': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'list-faults': { type: 'boolean' },
      quirk: { type: 'string', multiple: true },
      'list-quirks': { type: 'boolean' },
      http: { type: 'boolean' },
      'custom-urls': { type: 'boolean' },
      ocpp: { type: 'boolean' },
      'time-scale': { type: 'string' },
      world: { type: 'string' },
    },
    USAGE,
  );
  const v = parsed.values;
  const listFaults = v['list-faults'] === true;
  const listQuirks = v['list-quirks'] === true;
  const [which, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}\n\n${USAGE}`);
  const role = which?.toUpperCase();
  if (!listFaults && !listQuirks && role !== 'CPO' && role !== 'EMP')
    throw new UsageError(`say which reference partner: hbs-sim reference cpo, or hbs-sim reference emp\n\n${USAGE}`);
  const port = (name: string, s: string | undefined): number | undefined => {
    if (s === undefined) return undefined;
    if (!/^\d+$/.test(s) || Number(s) > 65535) throw new UsageError(`--${name} must be a port number, got "${s}"`);
    return Number(s);
  };
  if (v.hub !== undefined && !/^https?:\/\/[^/]+/.test(v.hub))
    throw new UsageError(`--hub must be a URL such as https://127.0.0.1:8443/api/oicp, got "${v.hub}"`);
  const timeScale = parseTimeScale(v['time-scale'], TIME_SCALE_PRESETS.real);
  if (v.ocpp === true && role !== 'CPO')
    throw new UsageError('--ocpp is for the reference CPO: only a CPO has charge points and a CSMS');
  const faults = v.fault ?? [];
  const quirks = v.quirk ?? [];
  if (role === 'CPO' || role === 'EMP') {
    try {
      parseFaultNames(faults, role);
      parseQuirkNames(quirks, role);
    } catch (e) {
      throw new UsageError(messageOf(e));
    }
  }
  return {
    ...(role === 'CPO' || role === 'EMP' ? { role } : {}),
    listFaults,
    listQuirks,
    faults,
    quirks,
    timeScale,
    http: v.http === true,
    customUrls: v['custom-urls'] === true,
    ocpp: v.ocpp === true,
    ...(v.hub ? { hub: v.hub.replace(/\/+$/, '') } : {}),
    ...(port('port', v.port) !== undefined ? { port: port('port', v.port) } : {}),
    ...(port('test-port', v['test-port']) !== undefined ? { testPort: port('test-port', v['test-port']) } : {}),
    ...(v['profile-out'] ? { profileOut: v['profile-out'] } : {}),
    ...(v.world ? { world: v.world } : {}),
  };
}
