import type { World } from '../config/world/types.js';
import type { Scenario } from '../harness/scenario/load.js';
import { TEST_DATA_KINDS, type TestDataKind, type TestDataNeed, testDataNeeds } from '../harness/scenario/test-data.js';
import {
  OPERATION_IDS,
  OPERATIONS,
  type OperationId,
  type Role,
  SERVICE_TYPES,
  type ServiceType,
} from '../oicp/operations.js';
import { REFERENCE_CPO_KEY, referenceCpoData } from '../partners/reference/cpo.js';
import { REFERENCE_CUSTOMERS, REFERENCE_EMP_KEY } from '../partners/reference/emp.js';
import { CPO_TRIGGERS, EMP_TRIGGERS } from '../partners/reference/profile.js';

/**
 * The commented starter profile `hbs-sim init cpo|emp` writes (and examples/partner-*.yaml are). Everything in it is
 * computed from the catalogue it is given, so it cannot fall behind it: every trigger a scenario of the role calls
 * (with the inputs the steps give it), as many test-data entries of each kind as the scenarios index
 * (testDataNeeds), the service types the role's operations and the scenarios' `requires` name. As written it
 * describes the reference partner of the role, so it runs as is against `hbs-sim reference <role>` started on the
 * ports it names; every value to replace with the user's own is marked `# REPLACE`.
 */

/** Where the reference partner listens when started as the header says: its OICP endpoint and its test API. */
export const STARTER_PORTS: Readonly<Record<Role, { oicp: number; test: number }>> = {
  CPO: { oicp: 9444, test: 9544 },
  EMP: { oicp: 9443, test: 9543 },
};

export interface StarterProfileInput {
  role: Role;
  /** The world the reference partner plays in: its ID, name, EVSEs and the virtual EMP's cards come from it. */
  world: World;
  /** The catalogue (all roles; the role's are used). */
  scenarios: readonly Scenario[];
  /** `$schema` path for editors, relative to where the file goes. */
  schemaPath: string;
}

/**
 * Trigger name → the inputs its steps give it and the items calling it, in the catalogue's order. Items that run only
 * with charge points (`ocpp: true`) are left out: the charge points perform their station actions, never a trigger.
 */
export function catalogueTriggers(scenarios: readonly Scenario[]): Map<string, { inputs: string[]; items: string[] }> {
  const out = new Map<string, { inputs: string[]; items: string[] }>();
  for (const s of scenarios) {
    if (s.ocpp) continue;
    for (const step of s.steps) {
      if (step.trigger === undefined) continue;
      const entry = out.get(step.trigger) ?? { inputs: [], items: [] };
      for (const key of Object.keys(step.with ?? {})) if (!entry.inputs.includes(key)) entry.inputs.push(key);
      if (!entry.items.includes(s.id)) entry.items.push(s.id);
      out.set(step.trigger, entry);
    }
  }
  return out;
}

/** The profile as YAML text with comments. */
export async function starterProfile(input: StarterProfileInput): Promise<string> {
  const { role, world } = input;
  const scenarios = input.scenarios.filter((s) => s.role === role);
  const reference = world.partners.find((p) => p.key === (role === 'CPO' ? REFERENCE_CPO_KEY : REFERENCE_EMP_KEY));
  const id = reference?.id ?? (role === 'CPO' ? 'DE*RCP' : 'DE-REM');
  const name = reference?.name ?? `Reference ${role} (hbs-sim)`;
  const ports = STARTER_PORTS[role];
  const oicpUrl = `https://127.0.0.1:${ports.oicp}/oicp`;
  const testUrl = `http://127.0.0.1:${ports.test}/test`;
  const needs = testDataNeeds(scenarios);
  const triggers = catalogueTriggers(scenarios);
  const routes: Record<string, string> = role === 'CPO' ? CPO_TRIGGERS : EMP_TRIGGERS;
  const own = role === 'CPO' ? 'OperatorID' : 'ProviderID';
  const lower = role.toLowerCase();
  const q = (v: string): string => JSON.stringify(v);

  const lines = [
    `# yaml-language-server: $schema=${input.schemaPath}`,
    '#',
    `# A partner profile: your ${role} backend as the certification harness sees it. Written by \`hbs-sim init ${lower}\``,
    `# from the catalogue (${scenarios.length} ${role} items): every trigger they call and as many test-data entries as`,
    `# they need. As written it describes the reference ${role}, so it works before you change anything:`,
    ...[
      [`#   npx hbs-sim reference ${lower} --port ${ports.oicp} --test-port ${ports.test}`, '# in one terminal'],
      ['#   npx hbs-sim run --partner <this file>', '# in another'],
    ].map(([command, note]) => `${command}${pad(command!, 62)}${note}`),
    '# Then replace every value marked REPLACE with your own. `hbs-sim certs --partner <this file>` writes the',
    '# certificates your backend needs before the first run. Keys: scenarios/schema/partner-profile.schema.json.',
    'version: 1',
    `id: ${q(id)}${pad(`id: ${q(id)}`)}# REPLACE: your ${own}; also the CN of the client certificate you call HBS with`,
    `role: ${role}`,
    `name: ${q(name)}${pad(`name: ${q(name)}`)}# REPLACE: your company`,
    `# subPartnerIds: []${pad('# subPartnerIds: []')}# sub-${role === 'CPO' ? 'operators whose EvseIDs' : 'providers whose EvcoIDs'} you use too`,
    `# serverCaFile: my-ca.pem${pad('# serverCaFile: my-ca.pem')}# the CA of your server certificate when it is not hbs-sim's certs/ca.crt`,
    `# clientCaFile: my-ca.pem${pad('# clientCaFile: my-ca.pem')}# a CA of yours whose client certificates HBS accepts too (for your ID only)`,
    `serviceTypes:${pad('serviceTypes:')}# the services you implement; items needing one you leave out are skipped`,
    ...serviceTypeLines(role, scenarios, oicpUrl),
    'testData:                      # what the scenarios fill in as {{partner.evseIds[0]}} etc.',
    ...(await testDataLines(role, world, id, needs)),
    "triggers:                      # how the harness makes you act: an HTTP call to your test API (the step's inputs",
    '                               # are the JSON body unless you give `body`), or `prompt: <text>` for a person',
    '                               # e.g. http: { url: ..., headers: { x-api-key: ... } } (headers are redacted in',
    '                               # reports), or prompt: "Set {{evseId}} to {{status}} now" (a terminal, never CI)',
    ...[...triggers].flatMap(([trigger, t]) => [
      `  ${trigger}:${pad(`  ${trigger}:`)}# ${t.inputs.length ? `inputs: ${t.inputs.join(', ')}; ` : ''}called by ${listed(t.items)}`,
      `    http: { url: ${q(`${testUrl}/${routes[trigger] ?? kebab(trigger)}`)} }   # REPLACE`,
    ]),
    ...(role === 'CPO' ? ocppLines(id) : []),
    '',
  ];
  return lines.join('\n');
}

/**
 * A CPO's charge points, commented out: with a CSMS of its own a CPO needs no station triggers, and this is where it
 * says so (README "A CPO under test through OCPP").
 */
function ocppLines(id: string): string[] {
  return [
    '# ocpp:                         # your CSMS instead of the station triggers (swipe, setStatus, reportError, stop…):',
    '#   url: wss://csms.example.com/ocpp   # REPLACE; virtual OCPP 1.6-J charge points connect here as <url>/<id>',
    '#   # caFile: csms-ca.pem             # the CA of its certificate when the system does not trust it',
    '#   # statusPushWithinMs: 30000       # CPO-18: how long your CSMS may take to push a reported status (OICP: no number)',
    '#   chargePoints:',
    `#     - id: CP-0001                    # REPLACE: an identity your CSMS accepts`,
    '#       passwordEnv: CP_0001_PASSWORD  # Basic auth (security profiles 1 and 2), from the environment; or password:',
    `#       connectors: { "1": ${JSON.stringify(`${id}*E0001*1`)} }   # REPLACE: connector → an EvseID of testData.evseIds`,
  ];
}

function pad(text: string, column = 31): string {
  return ' '.repeat(Math.max(1, column - text.length));
}

/** `CPO-01, CPO-07, CPO-08b and 8 more`: the items calling a trigger, short enough for one comment line. */
function listed(items: string[], shown = 4): string {
  return items.length <= shown + 1
    ? items.join(', ')
    : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The service types of the role: those of the operations it sends or receives, and any a scenario requires. */
function serviceTypeLines(role: Role, scenarios: readonly Scenario[], oicpUrl: string): string[] {
  const required = new Set(scenarios.flatMap((s) => s.requires ?? []));
  const receives = (type: ServiceType): OperationId[] =>
    OPERATION_IDS.filter((op) => OPERATIONS[op].serviceType === type && OPERATIONS[op].forwardedTo === role);
  const sends = (type: ServiceType): OperationId[] =>
    OPERATION_IDS.filter((op) => OPERATIONS[op].serviceType === type && OPERATIONS[op].sender === role);
  return SERVICE_TYPES.flatMap((type) => {
    const incoming = receives(type);
    const outgoing = sends(type);
    if (incoming.length === 0 && outgoing.length === 0 && !required.has(type)) return [];
    const does = [
      ...(incoming.length ? [`HBS calls you: ${incoming.join(', ')}`] : []),
      ...(outgoing.length ? [`you send ${outgoing.join(', ')}`] : []),
    ].join('; ');
    if (incoming.length === 0) {
      const line = `  ${type}: { onlineRequest: false }`;
      return [`${line}${pad(line)}# ${does}`];
    }
    const url = `    serviceUrl: ${JSON.stringify(oicpUrl)}`;
    return [
      `  ${type}:${pad(`  ${type}:`)}# ${does}`,
      '    onlineRequest: true',
      // HBS's RFID broadcast: an EMP receives AuthorizeStart for cards HBS cannot route to it (EMP-09).
      ...(role === 'EMP' && type === 'authorization'
        ? ['    broadcast: true            # also receive AuthorizeStart for RFID cards HBS cannot route']
        : []),
      `${url}${pad(url, 55)}# REPLACE: the OICP path is appended`,
      '    # operationUrls: { <Operation>: <full URL> }   # or one full URL per operation, as registered with Hubject',
      '    clientCertification: true  # HBS presents its client certificate (certs/hub/client.crt) when calling you',
    ];
  });
}

/** The entries each kind needs: the reference partner's own where it has enough, made-up valid ones after that. */
async function testDataLines(
  role: Role,
  world: World,
  id: string,
  needs: Record<TestDataKind, TestDataNeed>,
): Promise<string[]> {
  const available: Record<TestDataKind, unknown[]> = { evseIds: [], uids: [], evcoIds: [], qrCodes: [] };
  if (role === 'CPO') {
    const data = await referenceCpoData(world.source).catch(() => undefined);
    available.evseIds = (data?.evseData ?? []).map((r) => r.EvseID);
    // A CPO swipes cards the virtual EMP authorizes: its customers' that are not blocked.
    available.uids = world.virtual.emps.flatMap((e) =>
      e.customers.filter((c) => !c.blocked && c.uid).map((c) => c.uid),
    );
  } else {
    available.uids = REFERENCE_CUSTOMERS.flatMap((c) => (c.uid && !c.blocked ? [c.uid] : []));
    available.evcoIds = REFERENCE_CUSTOMERS.flatMap((c) => (c.evcoId && !c.blocked ? [c.evcoId] : []));
    available.qrCodes = REFERENCE_CUSTOMERS.flatMap((c) =>
      c.evcoId && c.pin ? [{ evcoId: c.evcoId, pin: c.pin }] : [],
    );
  }
  const what: Record<TestDataKind, string> = {
    evseIds: 'REPLACE: free, Hubject-compatible EVSEs of yours',
    uids:
      role === 'CPO'
        ? 'cards your stations read: the virtual EMP customers Alice and Bob, keep them'
        : "REPLACE: your test customers' RFID cards (upper-case hex, quoted)",
    evcoIds: "REPLACE: your test customers' contract IDs",
    qrCodes: 'REPLACE: contracts with a PIN your uploaded authentication data holds (QR code authorization)',
  };
  return TEST_DATA_KINDS.flatMap((kind) => {
    const need = needs[kind];
    if (need.count === 0) return [];
    const head = `  ${kind}:`;
    return [
      `${head}${pad(head)}# ${what[kind]}; the catalogue needs ${need.count}`,
      ...Array.from({ length: need.count }, (_, i) => {
        const value =
          (available[kind][i] as string | { evcoId: string; pin: string } | undefined) ?? madeUp(kind, id, i);
        const text =
          typeof value === 'string'
            ? `    - ${JSON.stringify(value)}`
            : `    - { evcoId: ${JSON.stringify(value.evcoId)}, pin: ${JSON.stringify(value.pin)} }`;
        return `${text}${pad(text, 55)}# [${i}] ${need.usedBy[i]?.join(', ') || 'no item yet'}`;
      }),
    ];
  });
}

/** A valid placeholder of the kind for entry `i`, owned by `id`, where the reference partner has none. */
function madeUp(kind: TestDataKind, id: string, i: number): string | { evcoId: string; pin: string } {
  const n = String(i + 1).padStart(3, '0');
  const compact = id.replace(/[^A-Za-z0-9]/g, '');
  const evcoId = `${compact.slice(0, 2)}-${compact.slice(2, 5)}-C90000${n}-0`;
  switch (kind) {
    case 'evseIds':
      return `${id}*E9${n}*1`;
    case 'uids':
      return `F0000${n}`;
    case 'evcoIds':
      return evcoId;
    case 'qrCodes':
      return { evcoId, pin: '0000' };
  }
}
