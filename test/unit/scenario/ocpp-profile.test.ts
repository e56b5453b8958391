import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { starterProfile } from '../../../src/app/starter-profile.js';
import { loadWorld } from '../../../src/config/world/load.js';
import { defaultScenariosDir, knownActors, loadScenarios } from '../../../src/harness/scenario/load.js';
import { loadProfile } from '../../../src/harness/scenario/profile.js';
import { canTrigger, profileTrigger } from '../../../src/harness/scenario/triggers.js';
import { ConfigError } from '../../../src/shared/errors.js';

/** The `ocpp:` block of a CPO profile: checked against the partner, resolved for the charge points. */

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
  delete process.env.HBS_TEST_CP_PASSWORD;
});

const HEAD = ['version: 1', 'id: DE*ACM', 'role: CPO', 'name: ACME'];

async function load(lines: string[], files: Record<string, string> = {}) {
  dir = await mkdtemp(join(tmpdir(), 'hbs-sim-ocpp-profile-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  await writeFile(join(dir, 'p.yaml'), [...HEAD, ...lines, ''].join('\n'));
  return loadProfile(join(dir, 'p.yaml'));
}

async function problems(lines: string[]): Promise<string[]> {
  const e = await load(lines).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(e)}`);
  return e.fieldErrors.map((f) => `${f.path}: ${f.message}`);
}

describe('a profile with charge points', () => {
  it('resolves URL, CA, passwords (from the environment too) and connectors', async () => {
    process.env.HBS_TEST_CP_PASSWORD = 's3cret';
    const p = await load(
      [
        'triggers:',
        '  swipe: { http: { url: "http://127.0.0.1:9/test/swipe" } }',
        '  pushEvseData: { http: { url: "http://127.0.0.1:9/test/push" } }',
        'ocpp:',
        '  url: wss://csms.example.test/ocpp',
        '  caFile: csms-ca.pem',
        '  chargePoints:',
        '    - { id: CP-1, password: pw1, connectors: { "1": "DE*ACM*E0001*1", "2": "DE*ACM*E0001*2" } }',
        '    - { id: CP-2, passwordEnv: HBS_TEST_CP_PASSWORD, connectors: { "1": "DE*ACM*E0002*1" } }',
      ],
      { 'csms-ca.pem': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' },
    );
    expect(p.ocpp).toEqual({
      url: 'wss://csms.example.test/ocpp',
      ca: expect.stringContaining('BEGIN CERTIFICATE'),
      chargePoints: [
        {
          id: 'CP-1',
          password: 'pw1',
          connectors: [
            { connectorId: 1, evseId: 'DE*ACM*E0001*1' },
            { connectorId: 2, evseId: 'DE*ACM*E0001*2' },
          ],
        },
        { id: 'CP-2', password: 's3cret', connectors: [{ connectorId: 1, evseId: 'DE*ACM*E0002*1' }] },
      ],
    });
    // Station actions go to the charge points; the CPO's own pushes stay its triggers.
    expect(profileTrigger(p, 'swipe')).toBeUndefined();
    expect(canTrigger(p, 'swipe')).toBe(true);
    expect(canTrigger(p, 'setStatus')).toBe(true);
    expect(profileTrigger(p, 'pushEvseData')).toEqual({ http: { url: 'http://127.0.0.1:9/test/push' } });
  });

  it('takes statusPushWithinMs (CPO-18) within 1 s … 10 min, and refuses another value', async () => {
    const block = (ms: string) => [
      'ocpp:',
      '  url: ws://csms.example.test/ocpp',
      `  statusPushWithinMs: ${ms}`,
      '  chargePoints:',
      '    - { id: CP-1, connectors: { "1": "DE*ACM*E0001*1" } }',
    ];
    expect((await load(block('60000'))).ocpp?.statusPushWithinMs).toBe(60_000);
    expect(await problems(block('500'))).toEqual([expect.stringMatching(/^ocpp\.statusPushWithinMs: .*1000/)]);
  });

  it('without ocpp, triggers are the profile’s own', async () => {
    const p = await load(['triggers:', '  swipe: { prompt: "Swipe {{uid}}" }']);
    expect(p.ocpp).toBeUndefined();
    expect(profileTrigger(p, 'swipe')).toEqual({ prompt: 'Swipe {{uid}}' });
    expect(canTrigger(p, 'setStatus')).toBe(false);
  });

  it('names every problem: foreign or repeated EvseIDs, identities, passwords, URL, CA file', async () => {
    expect(
      await problems([
        'ocpp:',
        '  url: https://csms.example.test/ocpp',
        '  caFile: missing.pem',
        '  chargePoints:',
        '    - { id: CP-1, password: a, passwordEnv: HBS_TEST_CP_PASSWORD, connectors: { "1": "DE*XYZ*E0001*1" } }',
        '    - { id: CP-1, passwordEnv: HBS_TEST_CP_PASSWORD, connectors: { "1": "DE*ACM*E0001*1", "2": "DE*ACM*E0001*1" } }',
      ]),
    ).toEqual([expect.stringMatching(/^ocpp\.url: .*wss\?/)]);
    const found = await problems([
      'ocpp:',
      '  url: ws://csms.example.test/ocpp',
      '  caFile: missing.pem',
      '  chargePoints:',
      '    - { id: CP-1, password: a, passwordEnv: HBS_TEST_CP_PASSWORD, connectors: { "1": "DE*XYZ*E0001*1" } }',
      '    - { id: CP-1, passwordEnv: HBS_TEST_CP_PASSWORD, connectors: { "1": "DE*ACM*E0001*1", "2": "DE*ACM*E0001*1" } }',
      '    - { id: CP-3, connectors: { "1": "not-an-evse" } }',
    ]);
    expect(found).toEqual([
      'ocpp.chargePoints[0]: give `password` or `passwordEnv`, not both',
      'ocpp.chargePoints[0].connectors.1: DE*XYZ*E0001*1 is not an EVSE of DE*ACM',
      'ocpp.chargePoints[1].id: charge point CP-1 is listed twice',
      'ocpp.chargePoints[1].passwordEnv: the environment variable HBS_TEST_CP_PASSWORD is not set',
      'ocpp.chargePoints[1].connectors.2: DE*ACM*E0001*1 is already connector 1 of CP-1',
      'ocpp.chargePoints[2].connectors.1: not-an-evse is not an OICP EvseID',
      expect.stringMatching(/^ocpp\.caFile: file not found: .*missing\.pem$/),
    ]);
  });

  it('an EMP has no charge points', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-sim-ocpp-profile-'));
    await writeFile(
      join(dir, 'p.yaml'),
      [
        'version: 1',
        'id: DE-ACM',
        'role: EMP',
        'name: x',
        'ocpp:',
        '  url: ws://x.test',
        '  chargePoints:',
        '    - { id: A, connectors: { "1": "DE*ACM*E1" } }',
        '',
      ].join('\n'),
    );
    const e = await loadProfile(join(dir, 'p.yaml')).catch((x: unknown) => x as ConfigError);
    expect((e as ConfigError).fieldErrors.map((f) => f.message)).toContain(
      'only a CPO has charge points: remove `ocpp`',
    );
  });

  it("the starter profile's commented ocpp block loads once uncommented", async () => {
    const world = await loadWorld();
    const scenarios = await loadScenarios([defaultScenariosDir()], knownActors(world));
    const text = await starterProfile({ role: 'CPO', world, scenarios, schemaPath: 'x.json' });
    const block = text
      .split('\n')
      .filter((l) => /^# {0,7}(ocpp:|url:|chargePoints:|- id:|passwordEnv:|connectors:)/.test(l));
    expect(block).toHaveLength(6);
    const uncommented = text.replace(/^# ( {0,6}(ocpp:|url:|chargePoints:|- id:|passwordEnv:|connectors:))/gm, '$1');
    process.env.HBS_TEST_CP_PASSWORD = 'pw';
    dir = await mkdtemp(join(tmpdir(), 'hbs-sim-ocpp-profile-'));
    await writeFile(join(dir, 'p.yaml'), uncommented.replace('CP_0001_PASSWORD', 'HBS_TEST_CP_PASSWORD'));
    const p = await loadProfile(join(dir, 'p.yaml'));
    expect(p.ocpp).toMatchObject({
      url: 'wss://csms.example.com/ocpp',
      chargePoints: [{ id: 'CP-0001', password: 'pw' }],
    });
  });
});
