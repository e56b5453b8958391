import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../../../src/config/world/load.js';
import { renderSuiteIndex } from '../../../src/harness/report/index.js';
import { referenceCpoData, startReferenceCpo } from '../../../src/partners/reference/cpo.js';
import { startReferenceEmp } from '../../../src/partners/reference/emp.js';
import type { ReferencePartner } from '../../../src/partners/reference/partner.js';
import { referenceProfile } from '../../../src/partners/reference/profile.js';
import { createClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/log.js';

/**
 * The reference partners' test API refuses bad input with a clear 400/404 and never a stack trace, switches faults
 * by name, and lists its EVSEs; none of this needs the hub (its URL here leads nowhere).
 */
let cpo: ReferencePartner;
let emp: ReferencePartner;

beforeAll(async () => {
  const world = await loadWorld();
  const partner = (key: string) => world.partners.find((p) => p.key === key)!;
  const common = { hubUrl: 'http://127.0.0.1:9/api/oicp', clock: createClock(1), logger: silentLogger() };
  cpo = await startReferenceCpo({
    ...common,
    partner: partner('reference-cpo'),
    ...(await referenceCpoData(world.source)),
  });
  emp = await startReferenceEmp({ ...common, partner: partner('reference-emp'), faults: ['retryOnFailure'] });
});
afterAll(async () => {
  await cpo?.close();
  await emp?.close();
});

async function call(
  url: string,
  method = 'POST',
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('reference partner test API', () => {
  it('lists the CPO EVSEs from simulator/reference', async () => {
    const { status, json } = await call(`${cpo.testUrl}/evses`, 'GET');
    expect(status).toBe(200);
    expect((json as unknown as Array<{ EvseID: string; status: string }>).map((e) => e.EvseID)).toContain(
      'DE*RCP*E0001*1',
    );
  });

  it('refuses missing or malformed input with 400 and the field to fix', async () => {
    expect(await call(`${cpo.testUrl}/swipe`, 'POST', { evseId: 'DE*RCP*E0001*1' })).toMatchObject({
      status: 400,
      json: { error: { code: 'SIM_INPUT', message: expect.stringContaining('"uid"') } },
    });
    expect(await call(`${cpo.testUrl}/push-evse-data`, 'POST', { action: 'replace' })).toMatchObject({
      status: 400,
      json: { error: { message: expect.stringContaining('fullLoad, insert, update, delete') } },
    });
    expect(await call(`${cpo.testUrl}/status`, 'POST', { evseId: 'DE*RCP*E0001*1', status: 'Broken' })).toMatchObject({
      status: 400,
    });
    expect(
      await call(`${cpo.testUrl}/report-error`, 'POST', { evseId: 'DE*RCP*E0001*1', errorType: 'Connector Error' }),
    ).toMatchObject({
      status: 400,
      json: { error: { message: expect.stringContaining('ConnectorError, CriticalError') } },
    });
    expect(
      await call(`${cpo.testUrl}/report-error`, 'POST', { evseId: 'DE*RCP*E0001*1', errorType: 'ConnectorError' }),
    ).toMatchObject({ status: 409, json: { error: { message: expect.stringContaining('no running session') } } });
    expect(await call(`${cpo.testUrl}/swipe`, 'POST', '{not json')).toMatchObject({
      status: 400,
      json: { error: { message: 'the request body is not valid JSON' } },
    });
    expect(await call(`${emp.testUrl}/pull-evse-data`, 'POST', { delta: true })).toMatchObject({
      status: 409,
      json: { error: { message: expect.stringContaining('earlier full pull') } },
    });
    expect(await call(`${emp.testUrl}/pull-pricing`, 'POST', {})).toMatchObject({
      status: 400,
      json: { error: { message: expect.stringContaining('operatorIds') } },
    });
  });

  it('refuses an action on an EVSE it does not have with 409 naming its EVSEs', async () => {
    const { status, json } = await call(`${cpo.testUrl}/stop`, 'POST', { evseId: 'DE*RCP*E9999*1' });
    expect(status).toBe(409);
    expect(String((json.error as { message: string }).message)).toMatch(
      /no EVSE DE\*RCP\*E9999\*1; it has DE\*RCP\*E0001\*1/,
    );
  });

  it("switches faults by name, refusing unknown ones and the other role's", async () => {
    expect(await call(`${emp.testUrl}/faults`, 'GET')).toMatchObject({
      status: 200,
      json: { active: ['retryOnFailure'] },
    });
    expect(await call(`${cpo.testUrl}/faults`, 'PUT', { faults: ['noCdr', 'duplicateCdr'] })).toMatchObject({
      status: 200,
      json: { active: ['noCdr', 'duplicateCdr'] },
    });
    expect(cpo.misbehaviour.has('noCdr')).toBe(true);
    const wrong = await call(`${cpo.testUrl}/faults`, 'PUT', { faults: ['nope', 'pinHashSalted'] });
    expect(wrong.status).toBe(400);
    expect(String((wrong.json.error as { message: string }).message)).toMatch(
      /nope is not a fault; pinHashSalted is a fault of the reference EMP/,
    );
    expect(cpo.misbehaviour.list()).toEqual(['noCdr', 'duplicateCdr']);
    expect(await call(`${cpo.testUrl}/faults`, 'PUT', { faults: [] })).toMatchObject({
      status: 200,
      json: { active: [] },
    });
  });

  it('writes a profile with its Service URL, test data and a trigger per test route', () => {
    const profile = referenceProfile({ partner: cpo, name: 'Reference CPO', evseIds: ['DE*RCP*E0001*1'] }) as {
      serviceTypes: Record<string, { serviceUrl?: string }>;
      triggers: Record<string, { http: { url: string } }>;
      testData: { evseIds: string[] };
    };
    expect(profile.serviceTypes.authorization?.serviceUrl).toBe(cpo.oicpUrl);
    expect(profile.triggers.swipe?.http.url).toBe(`${cpo.testUrl}/swipe`);
    expect(profile.triggers.reportError?.http.url).toBe(`${cpo.testUrl}/report-error`);
    expect(profile.testData.evseIds).toEqual(['DE*RCP*E0001*1']);
  });
});

describe('demo index page', () => {
  it('links each report and escapes what partners named themselves', () => {
    const report = (id: string, role: 'CPO' | 'EMP', verdict: 'passed' | 'failed', name: string) =>
      ({
        partner: { id, role, name },
        settings: { timeScale: 0.02 },
        summary: {
          verdict,
          counts: {
            total: 3,
            passed: verdict === 'passed' ? 3 : 2,
            failed: verdict === 'passed' ? 0 : 1,
            skipped: 0,
            error: 0,
          },
        },
      }) as never;
    const html = renderSuiteIndex('demo', [
      { report: report('DE*RCP', 'CPO', 'passed', '<b>CPO</b>'), href: 'cpo/' },
      { report: report('DE-REM', 'EMP', 'failed', 'EMP'), href: 'emp/' },
    ]);
    expect(html).toContain('<a href="cpo/index.html">DE*RCP</a>');
    expect(html).toContain('&lt;b&gt;CPO&lt;/b&gt;');
    expect(html).not.toContain('<b>CPO</b>');
    expect(html).toMatch(/<title>demo — failed<\/title>/);
  });
});
