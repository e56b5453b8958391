import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWorldDir, loadWorld } from '../../../src/config/world/load.js';
import { ConfigError } from '../../../src/shared/errors.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A copy of the embedded world with `virtual/<key>.yaml` replaced by `text`. */
async function worldWith(key: string, text: string): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'hbs-sim-world-'));
  await cp(defaultWorldDir(), dir, { recursive: true });
  await writeFile(join(dir, 'virtual', `${key}.yaml`), text);
  return dir;
}

async function problems(d: string): Promise<string[]> {
  const e = await loadWorld({ dir: d }).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(e)}`);
  return e.fieldErrors.map((f) => `${f.line}:${f.col} ${f.path}: ${f.message}`);
}

describe('simulator/virtual/*.yaml', () => {
  it("the embedded world plays virtual-cpo and virtual-emp, and the hub does not preload the station's EVSEs", async () => {
    const w = await loadWorld();
    expect(w.virtual.stations.map((s) => [s.partnerKey, s.operatorId, Object.keys(s.evses).length])).toEqual([
      ['virtual-cpo', 'DE*VCP', 4],
    ]);
    expect(w.virtual.emps.map((e) => [e.partnerKey, e.mode, e.customers.length])).toEqual([
      ['virtual-emp', 'online', 3],
    ]);
    expect(w.evseData['DE*VCP']).toBeUndefined();
    expect(w.virtual.stations[0]!.progressIntervalSeconds).toBe(300);
  });

  it('refuses an EVSE the station does not have, with its position', async () => {
    const d = await worldWith(
      'virtual-cpo',
      'version: 1\nstation:\n  evses:\n    DE*VCP*E9*1: { status: Available }\n',
    );
    expect(await problems(d)).toEqual([
      '4:5 station.evses.DE*VCP*E9*1: EvseID DE*VCP*E9*1 is not in evse/virtual-cpo.json',
    ]);
  });

  it('refuses the wrong block for the role, and an unknown status', async () => {
    const d = await worldWith('virtual-cpo', 'version: 1\nemp:\n  customers: [{ name: A, uid: 0BADCAFE }]\n');
    expect(await problems(d)).toEqual(['2:1 emp: virtual-cpo is a CPO; use `station:` here']);
    const d2 = await worldWith(
      'virtual-cpo',
      'version: 1\nstation:\n  evses:\n    DE*VCP*E0001*1: { status: Broken }\n',
    );
    expect((await problems(d2))[0]).toMatch(/^4:\d+ station\.evses\.DE\*VCP\*E0001\*1\.status: .*Available/);
  });

  it("refuses customers without a medium, with malformed IDs, another provider's EvcoID, or a duplicate card", async () => {
    const d = await worldWith(
      'virtual-emp',
      [
        'version: 1',
        'emp:',
        '  customers:',
        '    - { name: Nobody }',
        '    - { name: Lowercase, uid: 0badcafe }',
        '    - { name: Stranger, evcoId: DE-XYZ-C00000001-1 }',
        '    - { name: A, uid: 1A2B3C4D }',
        '    - { name: B, uid: 1A2B3C4D }',
        '',
      ].join('\n'),
    );
    expect(await problems(d)).toEqual([
      '4:7 emp.customers[0]: customer Nobody needs an evcoId, a uid or both',
      '5:31 emp.customers[1].uid: 0badcafe is not an OICP UID: 8, 14 or 20 upper-case hex digits',
      '6:33 emp.customers[2].evcoId: EvcoID DE-XYZ-C00000001-1 does not belong to ProviderID DE-VEM',
      "8:23 emp.customers[4].uid: 1A2B3C4D is already customer A's",
    ]);
  });

  it('refuses a virtual file for a partner that does not exist', async () => {
    const d = await worldWith('nobody', 'version: 1\nemp:\n  customers: [{ name: A, uid: 0BADCAFE }]\n');
    expect((await problems(d))[0]).toMatch(/^1:1 : no partner file partners\/nobody\.yaml/);
  });
});
