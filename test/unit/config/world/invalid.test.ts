import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WorldConfigError } from '../../../../src/config/problems.js';
import { loadWorld } from '../../../../src/config/world/load.js';
import { ConfigError, type ErrorCode, type SimError } from '../../../../src/shared/errors.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function loadError(dir: string): Promise<SimError> {
  const error: unknown = await loadWorld({ dir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError from ${dir}, got ${String(error)}`);
  return error;
}

/** Each problem as `<file relative to the fixture>:<line>:<col> <path>: <message>`, the shape describe() prints. */
function problems(error: SimError): string[] {
  const lines = error.describe().split('\n').slice(1);
  // The loader prints paths relative to the working directory when it can; strip whichever form up to the fixture.
  return lines.map((l) => l.trim().replace(/^.*?fixtures\/[^/]+\//, ''));
}

interface InvalidCase {
  fixture: string;
  code: ErrorCode;
  expected: string[];
}

const CASES: InvalidCase[] = [
  {
    fixture: 'unknown-key',
    code: 'CONFIG_INVALID',
    expected: [
      'partners/acme-emp.yaml:7:5 serviceTypes.authorization.onlineRequst: unknown key `onlineRequst` (did you mean ' +
        '`onlineRequest`?); allowed: onlineRequest, broadcast, serviceUrl, operationUrls, clientCertification',
    ],
  },
  {
    fixture: 'wrong-type',
    code: 'CONFIG_INVALID',
    expected: [
      'world.yaml:3:9 hub.port: must be a whole number, got `eighty`',
      'world.yaml:5:14 hub.aup.enabled: must be true or false, got `yes` (YAML 1.2 reads it as text; write true or false)',
    ],
  },
  {
    fixture: 'bad-operator-id',
    code: 'CONFIG_INVALID',
    expected: [
      'partners/acme-cpo.yaml:2:5 id: `DE-ACM` is not a valid OperatorID for a CPO (pattern ' +
        String.raw`^(([A-Za-z]{2}\*?[A-Za-z0-9]{3})|(\+?[0-9]{1,3}\*[0-9]{3}))$` +
        '; e.g. DE*A36, DEA36, +49*536). It looks like a ProviderID; is `role` right?',
    ],
  },
  {
    fixture: 'unknown-version',
    code: 'CONFIG_VERSION',
    expected: ['partners/acme-cpo.yaml:2:10 version: unknown version 2; expected 1'],
  },
  {
    fixture: 'unknown-contract-partner',
    code: 'CONFIG_INVALID',
    expected: [
      'world.yaml:3:10 contracts[0].cpo: unknown partner `acme-cp`; known CPOs: acme-cpo (DE*ACM)',
      'world.yaml:6:12 contracts[1].cpo: `acme-emp` is an EMP (DE-ACE); this side must be a CPO',
    ],
  },
  {
    fixture: 'service-url-without-online',
    code: 'CONFIG_INVALID',
    expected: [
      'partners/acme-emp.yaml:7:5 serviceTypes.authorization.serviceUrl: serviceUrl needs `onlineRequest: true`: ' +
        'Hubject requires Online Request to be enabled before a Service URL or Broadcast can be set ' +
        '(Hubject support article "Service Type Settings (EMP)")',
    ],
  },
  {
    fixture: 'yaml-syntax',
    code: 'CONFIG_INVALID',
    expected: [
      'world.yaml:5:1 /: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  },
  {
    fixture: 'several-files',
    code: 'CONFIG_INVALID',
    expected: [
      'world.yaml:3:14 hub.transport: must be one of `mtls`, `http`; got `tls` (did you mean `mtls`?)',
      'partners/acme-emp.yaml:1:1 name: missing required key `name`',
    ],
  },
  {
    fixture: 'partner-rules',
    code: 'CONFIG_INVALID',
    expected: [
      "partners/acme-cpo.yaml:8:5 serviceTypes.authorization.broadcast: broadcast only applies to an EMP's " +
        'authorization service type: HBS broadcasts AuthorizeStart to EMPs',
      'partners/acme-cpo.yaml:9:17 serviceTypes.authorization.serviceUrl: `https://cpo.example/oicp?x=1` has a query ' +
        'string or fragment, but the operation path is appended to a serviceUrl; put full URLs under operationUrls',
      'partners/acme-cpo.yaml:11:7 serviceTypes.authorization.operationUrls.AuthorizeStart: HBS never sends ' +
        'AuthorizeStart to a CPO under `authorization`; operations it sends here: AuthorizeRemoteStart, AuthorizeRemoteStop',
      'partners/acme-cpo.yaml:12:28 serviceTypes.authorization.operationUrls.AuthorizeRemoteStop: unknown placeholder ' +
        '{sessionID}; allowed: {operatorID}, {providerID}, {externalID}',
    ],
  },
  {
    fixture: 'duplicate-ids',
    code: 'CONFIG_INVALID',
    expected: [
      'partners/acme-cpo.yaml:2:5 id: ID `DE*ACM` is already used by partner `acme-cpo-copy` (DEACM); IDs must ' +
        'differ in more than separators, because the hub compares them without `*` and `-`',
      'partners/acme-emp.yaml:3:5 id: ID `DE-ACM` is already used by partner `acme-cpo-copy` (DEACM); IDs must ' +
        'differ in more than separators, because the hub compares them without `*` and `-`',
      'partners/other-cpo.yaml:5:17 subPartnerIds[0]: ID `DEAC2` is already used by partner `acme-cpo` (DE*ACM); ' +
        'IDs must differ in more than separators, because the hub compares them without `*` and `-`',
    ],
  },
  {
    fixture: 'evse-problems',
    code: 'CONFIG_INVALID',
    expected: [
      'evse/acme-cpo.json:5:17 EvseDataRecord[1].EvseID: EvseID `DE*XYZ*E1*1` belongs to operator DEXYZ, not to ' +
        'DE*ACM or its subPartnerIds (HBS answers 018)',
      'evse/acme-cpo.json:6:17 EvseDataRecord[2].EvseID: EvseID `DEACME11` is listed twice (also EvseDataRecord[0])',
      "evse/acme-emp.json:1:1 /: `acme-emp` is an EMP; an EVSE file is named after a CPO's partner key (CPOs: acme-cpo)",
    ],
  },
  {
    fixture: 'evse-schema',
    code: 'CONFIG_INVALID',
    expected: [
      'evse/acme-cpo.json:3:3 OperatorID: unknown key `OperatorID`; allowed: version, EvseDataRecord',
      'evse/acme-cpo.json:6:5 EvseDataRecord[1].EvseID: missing required key `EvseID`',
    ],
  },
  {
    // Every record is checked as the OICP EvseDataRecord HBS will get, before a station pushes it or the hub holds it.
    fixture: 'evse-oicp',
    code: 'CONFIG_INVALID',
    expected: [
      'evse/acme-cpo.json:7:18 EvseDataRecord[0].Address.City: not valid OICP: required property City is missing',
      expect.stringMatching(
        /^evse\/acme-cpo\.json:9:17 EvseDataRecord\[0\]\.Plugs\[0\]: not valid OICP: must be one of .*"Type 2 Outlet".*; got "Type 2 Plug"$/,
      ) as unknown as string,
    ],
  },
  {
    fixture: 'evse-json-syntax',
    code: 'CONFIG_INVALID',
    expected: ["evse/acme-cpo.json:5:3 /: JSON syntax error: Unexpected token ']'"],
  },
  {
    fixture: 'contract-services',
    code: 'CONFIG_INVALID',
    expected: [
      'world.yaml:3:34 contracts[0].services[0]: must be one of `authorization`, `reservation`, ' +
        '`chargingNotifications`, `evseData`, `evseStatus`, `authenticationData`, `dynamicPricing`; ' +
        'got `authorisation` (did you mean `authorization`?)',
      'world.yaml:4:33 contracts[1].services: must be `all` or a list, got `everything`',
      'world.yaml:5:33 contracts[2].services: lists `evseData` twice',
      'world.yaml:6:33 contracts[3].services: must list at least 1 item(s)',
      'world.yaml:7:5 contracts[4].services: missing required key `services`',
    ],
  },
  {
    fixture: 'stray-files',
    code: 'CONFIG_INVALID',
    expected: [
      'partners/Acme_CPO.yaml:1:1 /: `Acme_CPO` is not a valid key: use lower-case letters, digits and dashes ' +
        '(it names certificate folders)',
      'partners/acme.yml:1:1 /: only <key>.yaml files belong in partners/',
      'evse/acme.yaml:1:1 /: only <key>.json files belong in evse/',
    ],
  },
  {
    fixture: 'empty-partner',
    code: 'CONFIG_INVALID',
    expected: [
      'partners/acme-cpo.yaml:1:1 /: must be a mapping (key: value), got nothing (empty value)',
      'partners/list-cpo.yaml:1:1 /: must be a mapping (key: value), got a list',
    ],
  },
];

describe('loadWorld: invalid worlds report every problem as file:line:col path: message', () => {
  it.each(CASES)('should refuse $fixture with $code', async ({ fixture: name, code, expected }) => {
    const error = await loadError(fixture(name));
    expect(error.code).toBe(code);
    expect(problems(error)).toEqual(expected);
  });

  it('should name the file in the ConfigError when one file is at fault', async () => {
    const error = await loadError(fixture('unknown-version'));
    expect(error.file).toMatch(/unknown-version\/partners\/acme-cpo\.yaml$/);
    expect(error.message).toMatch(/acme-cpo\.yaml is format version 2, but this hbs-sim reads version 1 only$/);
  });

  it('should gather problems from several files into one WorldConfigError that keeps each file', async () => {
    const error = await loadError(fixture('several-files'));
    expect(error).toBeInstanceOf(WorldConfigError);
    const parts = (error as WorldConfigError).parts.map((p) => p.file?.replace(/^.*fixtures\//, ''));
    expect(parts).toEqual(['several-files/world.yaml', 'several-files/partners/acme-emp.yaml']);
    expect(error.message).toBe('2 problems in 2 files');
  });

  it('should carry line and col on each FieldError', async () => {
    const error = await loadError(fixture('wrong-type'));
    expect(error.fieldErrors.map(({ path, line, col }) => ({ path, line, col }))).toEqual([
      { path: 'hub.port', line: 3, col: 9 },
      { path: 'hub.aup.enabled', line: 5, col: 14 },
    ]);
  });

  it('should refuse a missing folder with CONFIG_NOT_FOUND naming the path', async () => {
    const dir = fixture('does-not-exist');
    const error = await loadError(dir);
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toBe(`world folder not found: ${dir}`);
  });

  it('should refuse a folder without world.yaml with CONFIG_NOT_FOUND', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbs-sim-world-'));
    try {
      const error = await loadError(dir);
      expect(error.code).toBe('CONFIG_NOT_FOUND');
      expect(error.file).toMatch(/world\.yaml$/);
      expect(error.message).toMatch(/has no world\.yaml/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
