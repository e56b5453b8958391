import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorld } from '../../../src/config/world/load.js';
import { defaultScenariosDir, knownActors, loadScenarios } from '../../../src/harness/scenario/load.js';
import { SCENARIO_SCHEMA_PATH, scenarioSchemaText } from '../../../src/harness/scenario/schema-file.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { builtBin } from '../../helpers/built-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = builtBin();
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const HEAD = 'version: 1\nid: CPO-07\ntitle: T\nrole: CPO\nsection: authorization\nmandatory: true\nspec: S\nsteps:\n';

async function problems(text: string): Promise<string[]> {
  dir = await mkdtemp(join(tmpdir(), 'hbs-sim-scenario-'));
  await writeFile(join(dir, 's.yaml'), text);
  const e = await loadScenarios([dir], knownActors(await loadWorld())).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(e)}`);
  return e.fieldErrors.map((f) => `${f.line}:${f.col} ${f.path}: ${f.message}`);
}

describe('scenario files', () => {
  it('the embedded catalogue loads, and the shipped editor schema is what the loader uses', async () => {
    const scenarios = await loadScenarios([defaultScenariosDir()], knownActors(await loadWorld()));
    expect(scenarios.map((s) => s.id)).toContain('CPO-07');
    expect(await readFile(join(ROOT, SCENARIO_SCHEMA_PATH), 'utf8')).toBe(scenarioSchemaText());
  });

  it('names a misspelt key with its position and a suggestion', async () => {
    expect(await problems(`${HEAD}  - wait: 10\n    titel: x\n`)).toEqual([
      expect.stringMatching(/^10:5 steps\[0\]\.titel: unknown key `titel` \(did you mean `title`\?\)/),
    ]);
  });

  it('checks step rules: one kind, keys of that kind, what the role sends and receives, actor actions', async () => {
    const text = `${HEAD}  - wait: 1\n    send: AuthorizeRemoteStart\n  - send: ChargeDetailRecord\n    body: {}\n    match: {}\n  - await: PullEvseData\n    timeoutMs: 5\n  - actor: virtual-cpo\n    action: remote-start\n  - actor: nobody\n    action: plug\n`;
    expect(await problems(text)).toEqual([
      '9:5 steps[0]: a step is one kind; this one has send and wait',
      '11:11 steps[1].send: HBS does not send ChargeDetailRecord to a CPO; it sends AuthorizeRemoteStart, AuthorizeRemoteStop, AuthorizeRemoteReservationStart, AuthorizeRemoteReservationStop',
      '13:5 steps[1].match: `match` goes with await steps, not send',
      expect.stringMatching(
        /^14:12 steps\[2\]\.await: a CPO neither sends nor receives PullEvseData; it sends AuthorizeStart.* and receives AuthorizeRemoteStart/,
      ),
      '17:13 steps[3].action: virtual-cpo is a virtual station; its actions are plug, unplug, stop, swipe, scan-qr, report-error, status',
      '18:12 steps[4].actor: no virtual actor `nobody`; known: virtual-cpo, virtual-emp',
    ]);
  });

  it('refuses placeholders nothing captured, a bad fault and a bad regular expression', async () => {
    const text = `${HEAD}  - trigger: go\n    with: { sid: "{{sessionId}}", evse: "{{partner.evseIds[0]}}", x: "{{partner.secret}}" }\n  - fault: { kind: reject }\n  - await: ChargeDetailRecord\n    timeoutMs: 1\n    match: { /EvseID: { matches: "([" } }\n`;
    expect(await problems(text)).toEqual([
      '10:18 steps[0].with.sid: {{sessionId}} is not captured by an earlier step',
      '10:70 steps[0].with.x: {{partner.secret}}: the partner profile offers partner.id, partner.evseIds, partner.uids, partner.evcoIds, partner.qrCodes',
      '11:12 steps[1].fault.code: reject needs code, an OICP StatusCode such as "602"',
      expect.stringMatching(/^14:34 steps\[2\]\.match\.\/EvseID\.matches: not a regular expression/),
    ]);
  });

  it('accepts computed dates ({{now}}, {{now - 1d}}) without a capture', async () => {
    expect(
      await problems(
        `${HEAD}  - trigger: go\n    with: { from: "{{now - 1d}}", to: "{{ now }}", bad: "{{now - 1y}}" }\n`,
      ),
    ).toEqual([expect.stringMatching(/steps\[0\]\.with\.bad: \{\{now - 1y\}\} is not captured by an earlier step/)]);
  });

  it('lets a scenario throttle only what the role sends, with known keys', async () => {
    expect(await problems(`${HEAD}  - throttle: { operation: PushEvseStatus, times: 0, retryAfter: 5 }\n`)).toEqual([
      '9:51 steps[0].throttle.times: must be >= 1, got 0',
      '9:54 steps[0].throttle.retryAfter: unknown key `retryAfter` (did you mean `retryAfterMs`?); allowed: operation, times, retryAfterMs',
    ]);
    // (Rules run once the schema holds: the second step, correct, adds nothing.)
    expect(
      await problems(
        `${HEAD}  - throttle: { operation: PullEvseData }\n  - throttle: { operation: PushEvseData, times: 2, retryAfterMs: 5000 }\n`,
      ),
    ).toEqual([
      '9:28 steps[0].throttle.operation: a CPO does not send PullEvseData to HBS; it sends AuthorizeStart, AuthorizeStop, ChargeDetailRecord, PushEvseData, PushEvseStatus, PushPricingProductData, PushEVSEPricing, ChargingNotification',
    ]);
  });

  it('lets an EMP scenario seed records of a virtual CPO, with a count', async () => {
    const EMP = HEAD.replace('id: CPO-07', 'id: EMP-01').replace('role: CPO', 'role: EMP');
    expect(
      await problems(`${EMP}  - seed: { actor: virtual-emp }
  - seed: { actor: virtual-cpo, evseData: 0, cdr: 5 }
`),
    ).toEqual([
      '10:43 steps[1].seed.evseData: must be >= 1, got 0',
      '10:46 steps[1].seed.cdr: unknown key `cdr` (did you mean `cdrs`?); allowed: actor, evseData, cdrs',
    ]);
    expect(
      await problems(`${EMP}  - seed: { actor: virtual-emp }
`),
    ).toEqual([
      '9:11 steps[0].seed: a seed step needs `evseData` or `cdrs`: how many records HBS holds',
      '9:20 steps[0].seed.actor: HBS holds the records of a virtual CPO; known: virtual-cpo',
    ]);
    expect(
      await problems(`${HEAD}  - seed: { actor: virtual-cpo, cdrs: 2100 }
`),
    ).toEqual([
      '9:11 steps[0].seed: a seed step fills what an EMP pulls (EVSE data, its CDRs); this scenario tests a CPO',
    ]);
  });

  it('refuses ifMissing on an absent await and a capture on an await that may get nothing', async () => {
    expect(
      await problems(
        `${HEAD}  - await: PushEvseData\n    timeoutMs: 10\n    absent: true\n    ifMissing: warn\n  - await: PushEvseData\n    timeoutMs: 10\n    ifMissing: warn\n    capture: { x: request:/ActionType }\n`,
      ),
    ).toEqual([
      '12:5 steps[0].ifMissing: an await with `absent: true` passes when nothing arrives; `ifMissing` is for an await that wants one',
      '16:5 steps[1].capture: an await with `ifMissing: warn` may get nothing, so later steps cannot rely on what it captures',
    ]);
  });

  it('refuses ocpp: true on an EMP item (only a CPO has charge points)', async () => {
    const emp = HEAD.replace('id: CPO-07', 'id: EMP-99')
      .replace('role: CPO', 'role: EMP')
      .replace('steps:', 'ocpp: true\nsteps:');
    expect(await problems(`${emp}  - wait: 10\n`)).toEqual([
      '8:7 ocpp: only a CPO has charge points: remove `ocpp` or make the role CPO',
    ]);
  });

  it('refuses a rule that compares with charge points in an item without ocpp: true', async () => {
    expect(
      await problems(
        `${HEAD}  - check: [pushes-sequential, status-follows-charge-point]\n  - await: ChargeDetailRecord\n    timeoutMs: 10\n    expect: { rules: [cdr-matches-charge-point] }\n`,
      ),
    ).toEqual([
      '9:32 steps[0].check[1]: status-follows-charge-point compares the CPO with its charge points: add `ocpp: true` to the scenario',
      '12:23 steps[1].expect.rules[0]: cdr-matches-charge-point compares the CPO with its charge points: add `ocpp: true` to the scenario',
    ]);
  });

  it('refuses a duplicate checklist ID across files and an unknown format version', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-sim-scenario-'));
    await writeFile(join(dir, 'a.yaml'), `${HEAD}  - wait: 1\n`);
    await writeFile(join(dir, 'b.yaml'), `${HEAD}  - wait: 2\n`);
    await writeFile(join(dir, 'c.yaml'), 'version: 2\nid: CPO-01\n');
    const e = (await loadScenarios([dir], new Map()).catch((x: unknown) => x)) as ConfigError;
    expect(e.describe()).toMatch(/b\.yaml:2:5 id: CPO-07 is already the ID of .*a\.yaml/);
    expect(e.describe()).toMatch(/c\.yaml:1:10 version: scenario format version 2 is unknown/);
  });
});

describe('hbs-sim validate', () => {
  it('exits 0 on the embedded catalogue and 2, printing file:line:col, on a broken file', async () => {
    const ok = spawnSync(process.execPath, [BIN, 'validate'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^\d+ scenarios? valid \(\d+ CPO, \d+ EMP\): /);
    dir = await mkdtemp(join(tmpdir(), 'hbs-sim-scenario-'));
    await writeFile(join(dir, 'x.yaml'), `${HEAD}  - wait: -1\n`);
    const bad = spawnSync(process.execPath, [BIN, 'validate', join(dir, 'x.yaml')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/x\.yaml:9:11 steps\[0\]\.wait: /);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    // Two CLI processes: on a loaded 2-core CI machine each takes several seconds to start.
  }, 90_000);
});
