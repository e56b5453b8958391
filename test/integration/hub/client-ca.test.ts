import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../../src/config/world/types.js';
import { loadProfile } from '../../../src/harness/scenario/profile.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { generateCa, generateSigned } from '../../../src/tls/generate.js';
import type { PemPair } from '../../../src/tls/load.js';
import { CA_SPEC, partnerSpecs } from '../../../src/tls/spec.js';
import { post } from '../../helpers/http.js';
import { startTestHub, type TestHub, testPartners, testWorld } from '../../helpers/hub.js';
import { evseRecord, pushEvseData } from '../../helpers/messages.js';

/**
 * A partner's own client CA (`clientCaFile`): the hub accepts client certificates it issued besides those of the
 * run's CA, but only for that partner's ID, so one partner's CA cannot speak for another.
 */

let dir: string;
let t: TestHub;
let own: { ca: string; cpoA: PemPair; cpoX: PemPair };

const push = (id: string) => ({
  path: `/evsepush/v23/operators/${id}/data-records`,
  body: pushEvseData(id, [evseRecord(`${id}*E1`)]),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hbs-sim-client-ca-'));
  const now = new Date();
  const ca = await generateCa({ ...CA_SPEC, commonName: 'ACME corporate CA (test)' }, now);
  const [a, x] = testPartners().filter((p) => p.key === 'cpo-a' || p.key === 'cpo-x');
  own = {
    ca: ca.cert,
    cpoA: await generateSigned(partnerSpecs(a!).client, ca, now),
    cpoX: await generateSigned(partnerSpecs(x!).client, ca, now),
  };
  const caFile = path.join(dir, 'acme-ca.pem');
  await writeFile(caFile, ca.cert);
  const base = testWorld();
  const world: World = {
    ...base,
    partners: base.partners.map((p) => (p.key === 'cpo-a' ? { ...p, clientCaFile: caFile } : p)),
  };
  t = await startTestHub(world);
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a partner's own client CA (clientCaFile)", () => {
  it('identifies that partner by a certificate its CA issued', async () => {
    const { path: p, body } = push('DE*CPA');
    const res = await post(`${t.hub.url}${p}`, body, { ca: t.certs.hub.ca, client: own.cpoA });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ Result: true, StatusCode: { Code: '000' } });
  });

  it('still accepts the certificate the run CA issued for that partner', async () => {
    const { path: p, body } = push('DE*CPA');
    const res = await t.call('cpo-a', p, body);
    expect(res.json.StatusCode.Code).toBe('000');
  });

  it('refuses a certificate of that CA naming another partner with 017: it cannot speak for others', async () => {
    const { path: p, body } = push('DE*CPX');
    const res = await post(`${t.hub.url}${p}`, body, { ca: t.certs.hub.ca, client: own.cpoX });
    expect(res.status).toBe(403);
    expect(res.json.StatusCode.Code).toBe('017');
    expect(res.json.StatusCode.AdditionalInfo).toContain("nor one of DE*CPX's clientCaFile");
  });

  it('is read from a profile relative to it, and a missing file is named before anything starts', async () => {
    await writeFile(path.join(dir, 'ca.pem'), own.ca);
    const profile = (caFile: string) => `version: 1\nid: DE*ACM\nrole: CPO\nname: ACME\nclientCaFile: ${caFile}\n`;
    await writeFile(path.join(dir, 'p.yaml'), profile('ca.pem'));
    expect((await loadProfile(path.join(dir, 'p.yaml'))).partner.clientCaFile).toBe(path.join(dir, 'ca.pem'));
    await writeFile(path.join(dir, 'q.yaml'), profile('nope.pem'));
    const e = await loadProfile(path.join(dir, 'q.yaml')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).fieldErrors[0]).toMatchObject({
      path: 'clientCaFile',
      message: `file not found: ${path.join(dir, 'nope.pem')}`,
    });
  });
});

describe("any certificate the run's CA signed with the partner's ID as CN (README: Certificates)", () => {
  const runCa = async (): Promise<PemPair> => ({
    cert: await readFile(path.join(t.certs.dir, 'ca.crt'), 'utf8'),
    key: await readFile(path.join(t.certs.dir, 'ca.key'), 'utf8'),
  });
  const [cpoA] = testPartners();

  it('identifies the partner whatever its other subject fields, and by the ID without separators', async () => {
    const { path: p, body } = push('DE*CPA');
    for (const commonName of ['DE*CPA', 'DECPA']) {
      const spec = {
        ...partnerSpecs(cpoA!).client,
        commonName,
        organization: 'Someone Else Ltd',
        organizationalUnit: 'IT',
      };
      const cert = await generateSigned(spec, await runCa(), new Date());
      const res = await post(`${t.hub.url}${p}`, body, { ca: t.certs.hub.ca, client: cert });
      expect(res.json.StatusCode.Code, commonName).toBe('000');
    }
  });

  it('refuses one whose extended key usage lacks clientAuth with 017', async () => {
    const { path: p, body } = push('DE*CPA');
    const spec = { ...partnerSpecs(cpoA!).server, commonName: 'DE*CPA' };
    const cert = await generateSigned(spec, await runCa(), new Date());
    const res = await post(`${t.hub.url}${p}`, body, { ca: t.certs.hub.ca, client: cert });
    expect(res.status).toBe(403);
    expect(res.json.StatusCode.Code).toBe('017');
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/not accepted \(.*purpose/i);
  });
});
