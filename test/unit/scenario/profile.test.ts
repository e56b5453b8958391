import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProfile } from '../../../src/harness/scenario/profile.js';
import { PROFILE_SCHEMA_PATH, profileSchemaText } from '../../../src/harness/scenario/schema-file.js';
import { ConfigError } from '../../../src/shared/errors.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function problems(text: string): Promise<string[]> {
  dir = await mkdtemp(join(tmpdir(), 'hbs-sim-profile-'));
  await writeFile(join(dir, 'p.yaml'), text);
  const e = await loadProfile(join(dir, 'p.yaml')).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(e)}`);
  return e.fieldErrors.map((f) => `${f.line}:${f.col} ${f.path}: ${f.message}`);
}

describe('partner profiles', () => {
  it('the commented examples load, and the shipped editor schema is current', async () => {
    const cpo = await loadProfile(join(ROOT, 'examples/partner-cpo.yaml'));
    expect(cpo.partner).toMatchObject({ id: 'DE*RCP', role: 'CPO', key: 'under-test-dercp' });
    expect(cpo.partner.serviceTypes.authorization?.serviceUrl).toBe('https://127.0.0.1:9444/oicp');
    expect(cpo.testData.evseIds).toHaveLength(6);
    expect(Object.keys(cpo.triggers)).toContain('swipe');
    const emp = await loadProfile(join(ROOT, 'examples/partner-emp.yaml'));
    expect(emp.partner.serviceTypes.authorization?.broadcast).toBe(true);
    expect(await readFile(join(ROOT, PROFILE_SCHEMA_PATH), 'utf8')).toBe(profileSchemaText());
  });

  it('checks the ID for the role, test data against the partner, and triggers', async () => {
    const text = [
      'version: 1',
      'id: DE-ACM',
      'role: CPO',
      'name: x',
      'testData:',
      '  evseIds: [DE*XYZ*E1]',
      '  uids: [abc]',
      'triggers:',
      '  both: { prompt: hi, http: { url: "https://x.test/t" } }',
      '  none: {}',
      '',
    ].join('\n');
    expect(await problems(text)).toEqual([
      expect.stringMatching(
        /^2:5 id: `DE-ACM` is not a valid OperatorID for a CPO .* It looks like a ProviderID; is `role` right\?$/,
      ),
      '6:13 testData.evseIds[0]: DE*XYZ*E1 is not an EVSE of DE-ACM',
      '7:10 testData.uids[0]: abc is not an OICP UID: 8, 14 or 20 upper-case hex digits',
      '9:9 triggers.both: a trigger is either `http` or `prompt`, not both',
      '10:9 triggers.none: a trigger needs `http` or `prompt`',
    ]);
  });

  it("checks an EMP's contracts and QR codes belong to it", async () => {
    const text = [
      'version: 1',
      'id: DE-ACM',
      'role: EMP',
      'name: x',
      'testData:',
      '  evcoIds: [DE-XYZ-C12345678-9]',
      '  qrCodes:',
      '    - { evcoId: DE-ACM-C12345678-9, pin: "1234" }',
      '    - { evcoId: not-a-contract, pin: "1" }',
      '    - { evcoId: DE-XYZ-C12345678-9, pin: "1" }',
      '',
    ].join('\n');
    expect(await problems(text)).toEqual([
      '6:13 testData.evcoIds[0]: DE-XYZ-C12345678-9 does not belong to DE-ACM',
      '9:17 testData.qrCodes[1].evcoId: not-a-contract is not an OICP EvcoID',
      '10:17 testData.qrCodes[2].evcoId: DE-XYZ-C12345678-9 does not belong to DE-ACM',
    ]);
  });

  it('names unknown keys with their position', async () => {
    expect(await problems('version: 1\nid: DE*ACM\nrole: CPO\nname: x\ntestdata: {}\n')).toEqual([
      expect.stringMatching(/^5:1 testdata: unknown key `testdata` \(did you mean `testData`\?\)/),
    ]);
  });
});
