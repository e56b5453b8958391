import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Partner, World } from '../config/world/types.js';
import type { Scenario } from '../harness/scenario/load.js';
import type { PartnerProfile } from '../harness/scenario/profile.js';
import {
  missingServices,
  missingTestData,
  missingTestDataMessage,
  testDataFieldProblems,
} from '../harness/scenario/test-data.js';
import { profileTrigger, triggerTls } from '../harness/scenario/triggers.js';
import { forwardTarget, partnerTls } from '../hub/forward.js';
import type { OutboundTls } from '../net/oicp-client.js';
import { type ProbeFailure, type ProbeResult, probe } from '../net/probe.js';
import { FrameLog } from '../ocpp/frames.js';
import { OPERATION_IDS, OPERATIONS } from '../oicp/operations.js';
import { ChargePointFleet } from '../partners/station/ocpp/fleet.js';
import { createClock } from '../shared/clock.js';
import { messageOf, SimError } from '../shared/errors.js';
import { EXIT, type ExitCode } from '../shared/exit-codes.js';
import type { Logger } from '../shared/log.js';
import { certPaths, type HubTlsMaterial } from '../tls/load.js';
import { HUB_CLIENT_SPEC } from '../tls/spec.js';
import { worldCerts } from './simulation.js';

/**
 * The preflight of a run: before item 1, once, it checks what every item depends on and the partner alone can fix
 * — that HBS reaches each Service URL and per-operation URL of the profile with the TLS identity of the run, that
 * each HTTP trigger's test API answers, that a prompt trigger has a person to answer it, and that the test data
 * covers the selected items. It sends no OICP operation and fires no trigger: an endpoint gets `HEAD <url>`, a test
 * API `OPTIONS *`, and any HTTP answer counts. A problem found here is said once, with its fix, instead of as the
 * same error in every item (src/net/probe.ts does the looking).
 */

/** What a preflight diagnosis can say; `input` problems are the profile's alone (exit 2), `network` ones exit 3. */
export const PREFLIGHT_CODES = {
  DNS_FAILED: { kind: 'network', means: "the URL's host name does not resolve" },
  CONNECTION_REFUSED: { kind: 'network', means: 'nothing listens at the URL’s host and port' },
  TIMEOUT: { kind: 'network', means: 'no answer within the probe’s time (connect, handshake or HTTP)' },
  UNREACHABLE: { kind: 'network', means: 'the host cannot be reached (no route, network down)' },
  TLS_NOT_TRUSTED: { kind: 'network', means: "the server's certificate is not signed by the CA the run trusts" },
  TLS_HOSTNAME_MISMATCH: { kind: 'network', means: "the server's certificate does not name the URL's host" },
  CLIENT_CERT_REFUSED: { kind: 'network', means: "the server refused the hub's client certificate" },
  TLS_HANDSHAKE_FAILED: { kind: 'network', means: 'the TLS handshake failed for another reason' },
  PLAIN_HTTP_ON_HTTPS_URL: { kind: 'network', means: 'the URL says https:// but the server speaks plain HTTP' },
  TLS_ON_HTTP_URL: { kind: 'network', means: 'the URL says http:// but the server speaks TLS' },
  NO_HTTP_ANSWER: { kind: 'network', means: 'the server accepted the connection but gave no HTTP answer' },
  INVALID_URL: { kind: 'input', means: 'a URL of the profile cannot be called' },
  SERVER_CA_UNREADABLE: { kind: 'input', means: "the profile's serverCaFile cannot be read" },
  NEEDS_PERSON: { kind: 'input', means: 'a prompt trigger, and nobody to answer it (no terminal, or CI)' },
  TEST_DATA_MISSING: { kind: 'input', means: "a selected mandatory item needs test data the profile's testData lacks" },
  OCPP_CONNECT_FAILED: {
    kind: 'network',
    means: "a charge point of the profile's ocpp block cannot open its WebSocket to the CSMS",
  },
  OCPP_BOOT_NOT_ACCEPTED: { kind: 'network', means: "the CSMS did not accept a charge point's BootNotification" },
} as const;

export type PreflightCode = keyof typeof PREFLIGHT_CODES;

/** One problem: its code, what it concerns (URLs, an item, a trigger), what was seen and how to fix it. */
export interface Diagnosis {
  code: PreflightCode;
  /** The URLs, item or trigger concerned, as the user wrote them. */
  subject: string;
  seen: string;
  fix: string;
}

/** One line of `hbs-sim check`: what was checked and how it went. */
export interface PreflightCheck {
  kind: 'endpoint' | 'trigger' | 'prompt' | 'test-data' | 'ocpp';
  subject: string;
  ok: boolean;
  /** Passed: what answered (`HTTP 405`); failed: the diagnosis's code. */
  note: string;
  diagnosis?: Diagnosis;
}

export interface PreflightResult {
  checks: PreflightCheck[];
  problems: Diagnosis[];
  /** 0 none, 2 only problems of the profile (test data, prompts, URLs), 3 any the network showed. */
  exitCode: ExitCode;
}

export interface PreflightOptions {
  /** The world with the system under test in it (worldWithPartner). */
  world: World;
  profile: PartnerProfile;
  /** The items the run will go through. */
  scenarios: Scenario[];
  cwd: string;
  logger: Logger;
  /** A person can answer prompt triggers (a terminal, not CI). */
  interactive: boolean;
  /** False: only the checks that send nothing (test data, prompts), as `run --no-preflight` does. */
  network?: boolean;
  /** Real milliseconds each probe may take, all its stages together (default 5000). */
  timeoutMs?: number;
  /**
   * False: the profile's charge points are not booted here (`run` boots them itself before item 1, and a CSMS
   * should not see each charge point boot twice). Default: booted, as `hbs-sim check` does.
   */
  ocpp?: boolean;
}

export const PREFLIGHT_TIMEOUT_MS = 5_000;

export async function preflight(o: PreflightOptions): Promise<PreflightResult> {
  const runnable = o.scenarios.filter((s) => missingServices(s, o.profile).length === 0);
  const checks: PreflightCheck[] = [...testDataChecks(runnable, o.profile), ...promptChecks(runnable, o)];
  if (o.network !== false) {
    const { certsDir, tls } = await worldCerts(o.world, o.cwd, o.logger);
    const partner = o.profile.partner;
    const context: ProbeContext = {
      profileFile: o.profile.file,
      partner,
      certsDir,
      hubTls: tls,
      timeoutMs: o.timeoutMs ?? PREFLIGHT_TIMEOUT_MS,
    };
    const groups = [...endpointGroups(partner, o.world, context), ...triggerGroups(o.profile, context)];
    checks.push(...(await Promise.all(groups.map((g) => runGroup(g, context)))).flat());
    if (o.ocpp !== false) checks.push(...(await ocppChecks(o.profile, context.timeoutMs, o.logger)));
  }
  const problems = checks.flatMap((c) => (c.diagnosis ? [c.diagnosis] : []));
  const exitCode =
    problems.length === 0
      ? EXIT.OK
      : problems.every((p) => PREFLIGHT_CODES[p.code].kind === 'input')
        ? EXIT.BAD_INPUT
        : EXIT.HARNESS_ERROR;
  return { checks, problems, exitCode };
}

/**
 * Each charge point of the profile's `ocpp:` block connects and boots at the CSMS, then disconnects: the one check
 * here that sends the partner something, because a CSMS that refuses the charge points leaves every station action
 * of the run without a station.
 */
async function ocppChecks(profile: PartnerProfile, timeoutMs: number, logger: Logger): Promise<PreflightCheck[]> {
  const ocpp = profile.ocpp;
  if (!ocpp) return [];
  return Promise.all(
    ocpp.chargePoints.map(async (cp): Promise<PreflightCheck> => {
      const subject = `charge point ${cp.id} at ${ocpp.url}`;
      const fleet = new ChargePointFleet(
        { ...ocpp, callTimeoutMs: timeoutMs, chargePoints: [cp] },
        { clock: createClock(1), logger, frames: new FrameLog() },
      );
      try {
        await fleet.connect();
        return { kind: 'ocpp', subject, ok: true, note: 'BootNotification Accepted' };
      } catch (e) {
        const connect = e instanceof SimError && e.code === 'OCPP_CONNECT';
        const diagnosis: Diagnosis = {
          code: connect ? 'OCPP_CONNECT_FAILED' : 'OCPP_BOOT_NOT_ACCEPTED',
          subject,
          seen: messageOf(e),
          fix: connect
            ? `check ocpp.url, ocpp.caFile and the charge point's password in ${profile.file}, and that the CSMS runs`
            : `register charge point ${cp.id} in your CSMS so that it accepts its BootNotification`,
        };
        return { kind: 'ocpp', subject, ok: false, note: diagnosis.code, diagnosis };
      } finally {
        await fleet.close();
      }
    }),
  );
}

/** Thrown by requirePreflight: the run stops before item 1; `result` holds the diagnoses to print. */
export class PreflightStopped extends Error {
  constructor(readonly result: PreflightResult) {
    super(`the preflight found ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
    this.name = 'PreflightStopped';
  }
}

/** The preflight as `run` uses it (certify's beforeFirstItem): its result when all passed, else PreflightStopped. */
export async function requirePreflight(o: PreflightOptions): Promise<PreflightResult> {
  const result = await preflight(o);
  if (result.problems.length > 0) throw new PreflightStopped(result);
  return result;
}

/**
 * A mandatory item the profile cannot feed cannot be judged; optional ones the engine skips with the same message.
 * One diagnosis per kind of test data (how many needed, how many given, by which items), else one per item for a
 * value that is not a list entry.
 */
function testDataChecks(runnable: Scenario[], profile: PartnerProfile): PreflightCheck[] {
  const mandatory = runnable.filter((s) => s.mandatory);
  const fix = `list the missing values under testData in ${profile.file}, or start from \`hbs-sim init ${profile.partner.role.toLowerCase()}\``;
  const perKind = testDataFieldProblems(mandatory, profile).map((p) => ({ subject: p.field, seen: p.problem }));
  const problems =
    perKind.length > 0
      ? perKind
      : mandatory.flatMap((s) =>
          missingTestData(s, profile).length > 0 ? [{ subject: s.id, seen: missingTestDataMessage(s, profile) }] : [],
        );
  const unfed = problems.map(({ subject, seen }) => {
    const diagnosis: Diagnosis = { code: 'TEST_DATA_MISSING', subject, seen, fix };
    return { kind: 'test-data' as const, subject, ok: false, note: diagnosis.code, diagnosis };
  });
  if (unfed.length > 0) return unfed;
  return [
    {
      kind: 'test-data',
      subject: `testData of ${profile.file}`,
      ok: true,
      note: `covers the ${mandatory.length} mandatory item${mandatory.length === 1 ? '' : 's'} selected`,
    },
  ];
}

/** Prompt triggers the selected items call, when nobody can answer them: each such item would end in error. */
function promptChecks(runnable: Scenario[], o: PreflightOptions): PreflightCheck[] {
  if (o.interactive) return [];
  const byTrigger = new Map<string, string[]>();
  for (const s of runnable)
    for (const name of new Set(s.steps.flatMap((st) => (st.trigger === undefined ? [] : [st.trigger]))))
      if (profileTrigger(o.profile, name)?.prompt !== undefined)
        byTrigger.set(name, [...(byTrigger.get(name) ?? []), s.id]);
  return [...byTrigger].map(([name, items]) => {
    const diagnosis: Diagnosis = {
      code: 'NEEDS_PERSON',
      subject: `trigger ${name}`,
      seen: `it is a prompt ("${o.profile.triggers[name]!.prompt}") and nobody can answer it here (stdin is not a terminal, or CI is set); ${items.join(', ')} would end in error`,
      fix: `give triggers.${name} an http call to your test API in ${o.profile.file} (scenarios/README.md lists the inputs), or run in a terminal without CI=true`,
    };
    return { kind: 'prompt', subject: `trigger ${name}`, ok: false, note: diagnosis.code, diagnosis };
  });
}

/** What a diagnosis names: the profile, the partner, where the certificates are. */
export interface ProbeContext {
  profileFile: string;
  partner: Partner;
  certsDir: string;
  hubTls: HubTlsMaterial | undefined;
  timeoutMs: number;
}

/** URLs sharing an origin and a TLS identity: one probe answers for all of them. */
export interface ProbeGroup {
  kind: 'endpoint' | 'trigger';
  /** Where each URL comes from, for the check lines: `AuthorizeRemoteStart`, `trigger swipe`. */
  entries: Array<{ label: string; url: string }>;
  /** The URL the probe requests. */
  url: string;
  tls: OutboundTls | undefined;
  /** Service types (endpoint) or trigger names, for the fix. */
  owners: string[];
  /** Where the server's CA comes from, for a "not trusted" diagnosis. */
  trust: string;
  /** A problem found before any probe (an unreadable serverCaFile, a URL that is none). */
  problem?: Diagnosis;
}

/** Every URL HBS will call the partner at, as the forwarder derives it, with the forwarder's TLS options. */
function endpointGroups(partner: Partner, world: World, c: ProbeContext): ProbeGroup[] {
  // A URL may name the sender's ID ({providerID} for a CPO's remote start): the virtual counterpart that sends in
  // the run stands in, else any partner of the other role.
  const other =
    (partner.role === 'CPO' ? world.virtual.emps[0]?.providerId : world.virtual.stations[0]?.operatorId) ??
    world.partners.find((p) => p.role !== partner.role)?.id;
  const pathIds =
    partner.role === 'CPO'
      ? { operatorID: partner.id, ...(other ? { providerID: other } : {}) }
      : { providerID: partner.id, ...(other ? { operatorID: other } : {}) };
  const groups = new Map<string, ProbeGroup>();
  const caFiles = new Map<string, string>();
  for (const operation of OPERATION_IDS.filter((op) => OPERATIONS[op].forwardedTo === partner.role)) {
    const target = forwardTarget(partner, operation, pathIds);
    if ('reason' in target) continue; // Online Request off or no URL: HBS calls nothing there
    const serviceType = OPERATIONS[operation].serviceType;
    let tls: OutboundTls | undefined;
    let problem: Diagnosis | undefined;
    try {
      tls = partnerTls(partner, serviceType, c.hubTls, (file) => {
        const pem = caFiles.get(file) ?? readFileSync(file, 'utf8');
        caFiles.set(file, pem);
        return pem;
      });
    } catch (e) {
      problem = {
        code: 'SERVER_CA_UNREADABLE',
        subject: partner.serverCaFile ?? 'serverCaFile',
        seen: messageOf(e),
        fix: `point serverCaFile in ${c.profileFile} at the PEM file of the CA that signed your server certificate`,
      };
    }
    const key = groupKey(target.url, tls);
    const group = groups.get(key);
    const entry = { label: operation, url: target.url };
    if (group) {
      group.entries.push(entry);
      if (!group.owners.includes(serviceType)) group.owners.push(serviceType);
      continue;
    }
    groups.set(key, {
      kind: 'endpoint',
      entries: [entry],
      url: target.url,
      tls,
      owners: [serviceType],
      trust: partner.serverCaFile
        ? `the CA of serverCaFile ${partner.serverCaFile}${caName(caFiles.get(partner.serverCaFile))}`
        : `the run's CA${caName(c.hubTls?.ca)}, ${certPaths(c.certsDir).ca.cert}`,
      ...(problem ? { problem } : {}),
    });
  }
  return [...groups.values()];
}

/** Each HTTP trigger's test API, with the TLS options a trigger call uses; probed with `OPTIONS *`, never fired. */
function triggerGroups(profile: PartnerProfile, c: ProbeContext): ProbeGroup[] {
  const tls = triggerTls(c.hubTls ? [c.hubTls.ca] : undefined);
  const groups = new Map<string, ProbeGroup>();
  for (const name of Object.keys(profile.triggers)) {
    const t = profileTrigger(profile, name);
    if (!t?.http) continue;
    // Placeholders may sit in the path or query; the origin is what is probed.
    const url = t.http.url.replace(/\{\{[^}]*\}\}/g, 'x');
    const entry = { label: `trigger ${name}`, url: t.http.url };
    const key = groupKey(url, tls);
    const group = groups.get(key);
    if (group) {
      group.entries.push(entry);
      group.owners.push(name);
      continue;
    }
    groups.set(key, {
      kind: 'trigger',
      entries: [entry],
      url,
      tls,
      owners: [name],
      trust: `the system's CAs and the run's CA${caName(c.hubTls?.ca)}, ${certPaths(c.certsDir).ca.cert}`,
    });
  }
  return [...groups.values()];
}

function groupKey(url: string, tls: OutboundTls | undefined): string {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return `invalid|${url}`;
  }
  if (origin.startsWith('http:')) return origin;
  return `${origin}|${tls?.cert ? 'client' : 'anonymous'}|${[tls?.ca ?? ''].flat().join('')}`;
}

async function runGroup(g: ProbeGroup, c: ProbeContext): Promise<PreflightCheck[]> {
  let diagnosis = g.problem;
  let note = '';
  if (!diagnosis) {
    const result = await probe({
      url: g.url,
      ...(g.tls ? { tls: g.tls } : {}),
      request: g.kind === 'endpoint' ? 'head' : 'options-server',
      timeoutMs: c.timeoutMs,
    });
    if (result.ok) note = `answers (HTTP ${result.status} to ${g.kind === 'endpoint' ? 'HEAD' : 'OPTIONS *'})`;
    else diagnosis = diagnose(result, g, c);
  }
  return g.entries.map((e) => ({
    kind: g.kind,
    subject: `${e.label} ${e.url}`,
    ok: !diagnosis,
    note: diagnosis ? diagnosis.code : note,
    // One diagnosis per group: the first entry carries it, the others point at it through the same code.
    ...(diagnosis && e === g.entries[0] ? { diagnosis } : {}),
  }));
}

/** The codes a probe can lead to; the others come from the profile alone. */
type ProbeCode = Exclude<
  PreflightCode,
  'NEEDS_PERSON' | 'TEST_DATA_MISSING' | 'SERVER_CA_UNREADABLE' | 'OCPP_CONNECT_FAILED' | 'OCPP_BOOT_NOT_ACCEPTED'
>;

const CODE_OF: Record<ProbeFailure, ProbeCode> = {
  'invalid-url': 'INVALID_URL',
  dns: 'DNS_FAILED',
  refused: 'CONNECTION_REFUSED',
  timeout: 'TIMEOUT',
  unreachable: 'UNREACHABLE',
  'not-trusted': 'TLS_NOT_TRUSTED',
  'hostname-mismatch': 'TLS_HOSTNAME_MISMATCH',
  'client-cert-refused': 'CLIENT_CERT_REFUSED',
  handshake: 'TLS_HANDSHAKE_FAILED',
  'plain-http-on-tls-url': 'PLAIN_HTTP_ON_HTTPS_URL',
  'tls-on-plain-url': 'TLS_ON_HTTP_URL',
  'no-http-answer': 'NO_HTTP_ANSWER',
};

/** Turns what a probe saw into a diagnosis whose fix names the file and field to change. */
export function diagnose(r: ProbeResult & { ok: false }, g: ProbeGroup, c: ProbeContext): Diagnosis {
  const code = CODE_OF[r.failure];
  let url: URL;
  try {
    url = new URL(g.url);
  } catch {
    url = new URL('http://invalid');
  }
  const hostPort = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  const subject = g.entries.map((e) => `${e.url} (${e.label})`).join(', ');
  const field =
    g.kind === 'endpoint'
      ? `the serviceUrl/operationUrls of ${g.owners.join(', ')} in ${c.profileFile}`
      : `${g.owners.map((n) => `triggers.${n}.http.url`).join(', ')} in ${c.profileFile}`;
  const what = g.kind === 'endpoint' ? 'your backend' : 'your test API';
  const peer = r.peer
    ? ` The certificate: subject ${r.peer.subject}; issued by ${r.peer.issuer}; names ${r.peer.names.join(', ') || '(none)'}.`
    : '';
  const hubClient = `${certPaths(c.certsDir).hubClient.cert} (${HUB_CLIENT_SPEC.commonName}, signed by ${certPaths(c.certsDir).ca.cert})`;
  const seen = `${r.detail}.${peer}`;
  const fixes: Record<ProbeCode, string> = {
    DNS_FAILED: `correct the host in ${field}, or make ${url.hostname} resolve on this machine (DNS, /etc/hosts, the CI service name)`,
    CONNECTION_REFUSED: `start ${what} so that it listens at ${hostPort} before the run (in CI, wait until the port answers), or correct ${field}`,
    TIMEOUT: `check that ${hostPort} can be reached from here (firewall, VPN, container network) and that ${what} is not stuck; or correct ${field}`,
    UNREACHABLE: `check the network route to ${hostPort}, or correct ${field}`,
    TLS_NOT_TRUSTED: `the run trusts ${g.trust}: serve a certificate it signed (\`hbs-sim certs\` writes one for you under ${c.certsDir}/partners/), or ${g.kind === 'endpoint' ? `set serverCaFile in ${c.profileFile} to the PEM of the CA that signed yours` : 'use a certificate of a public CA'}`,
    TLS_HOSTNAME_MISMATCH: `call ${what} by a name its certificate carries (change ${field}), or reissue the certificate with ${url.hostname} among its names`,
    CLIENT_CERT_REFUSED: !g.tls?.cert
      ? `${what} asks for a client certificate and the hub presents none: set clientCertification: true for ${g.owners.join(', ')} in ${c.profileFile} (the hub then presents ${hubClient})`
      : `the hub presents ${hubClient}: make ${what} trust ${certPaths(c.certsDir).ca.cert} for client certificates (its truststore / client CA)${g.kind === 'endpoint' ? `, or set clientCertification: false for ${g.owners.join(', ')} in ${c.profileFile} if you do not check client certificates` : ''}. If it does trust that CA and only closes ${g.kind === 'endpoint' ? 'HEAD' : 'OPTIONS'} requests without an answer, run with --no-preflight`,
    TLS_HANDSHAKE_FAILED: `compare the TLS versions and ciphers ${what} accepts with Node's (TLS 1.2 and 1.3); if it checks client certificates, it must trust ${certPaths(c.certsDir).ca.cert}`,
    PLAIN_HTTP_ON_HTTPS_URL: `write http:// in ${field} if ${what} is meant to run without TLS, or turn TLS on at ${hostPort}`,
    TLS_ON_HTTP_URL: `write https:// in ${field}: ${what} at ${hostPort} speaks TLS`,
    NO_HTTP_ANSWER: `check the log of ${what} at ${hostPort}: it accepted the connection but did not answer HTTP/1.1 (a backend that drops ${g.kind === 'endpoint' ? 'HEAD' : 'OPTIONS'} requests unanswered and handles POST: run with --no-preflight)`,
    INVALID_URL: `correct ${field}`,
  };
  return { code, subject, seen, fix: fixes[code] };
}

/** ` (CN=…)` of a CA certificate, for saying which CA is meant. */
function caName(pem: string | undefined): string {
  if (!pem) return '';
  try {
    return ` (${new X509Certificate(pem).subject.replace(/\n/g, ', ')})`;
  } catch {
    return '';
  }
}
