import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectHubMessagesValid, startTestHub, type TestHub, testWorld } from '../../helpers/hub.js';
import { evseRecord, pullEvseData, pushEvseData, pushEvseStatus } from '../../helpers/messages.js';

const PUSH = '/evsepush/v23/operators/DE*CPA/data-records';
const PULL = '/evsepull/v23/providers/DE-EMA/data-records';
const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `DE*CPA*E${String(i).padStart(4, '0')}`);

describe('EVSE data push and paged pull', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(testWorld({ bodyLimitBytes: 4 * 1024 * 1024 }));
    const res = await t.call(
      'cpo-a',
      PUSH,
      pushEvseData(
        'DE*CPA',
        ids(2001).map((id) => evseRecord(id)),
      ),
    );
    expect(res.json.StatusCode.Code).toBe('000');
  });
  afterAll(async () => {
    expectHubMessagesValid(t.recorder.all());
    await t.close();
  });

  it('serves 20 records per page by default, 0-based', async () => {
    const res = await t.call('emp-a', PULL, pullEvseData('DE-EMA'));
    expect(res.json).toMatchObject({
      number: 0,
      size: 20,
      numberOfElements: 20,
      totalElements: 2001,
      totalPages: 101,
      first: true,
      last: false,
    });
    expect(res.json.content[0]).toMatchObject({
      EvseID: 'DE*CPA*E0000',
      OperatorID: 'DE*CPA',
      OperatorName: 'Operator DE*CPA',
    });
  });

  it('marks the last page and fills it with the remainder', async () => {
    const res = await t.call('emp-a', `${PULL}?page=100&size=20`, pullEvseData('DE-EMA'));
    expect(res.json).toMatchObject({ number: 100, numberOfElements: 1, first: false, last: true });
    expect(res.json.content[0].EvseID).toBe('DE*CPA*E2000');
  });

  it('serves size=2000, the maximum, in full', async () => {
    const res = await t.call('emp-a', `${PULL}?page=0&size=2000`, pullEvseData('DE-EMA'));
    expect(res.json).toMatchObject({ size: 2000, numberOfElements: 2000, totalPages: 2, last: false });
  });

  it('serves size=2001 as 2000 per page and flags the request', async () => {
    const res = await t.call('emp-a', `${PULL}?page=1&size=2001`, pullEvseData('DE-EMA'));
    expect(res.json).toMatchObject({ size: 2000, number: 1, numberOfElements: 1, last: true });
    const x = t.recorder.all().at(-1)!;
    expect(x.violations.map((v) => v.message).join()).toMatch(/size=2001 is over HBS's maximum/);
  });

  it('answers a page past the end with an empty page', async () => {
    const res = await t.call('emp-a', `${PULL}?page=500`, pullEvseData('DE-EMA'));
    expect(res.json).toMatchObject({ numberOfElements: 0, content: [], last: true });
  });

  it('refuses a malformed page parameter with 022', async () => {
    const res = await t.call('emp-a', `${PULL}?page=-1`, pullEvseData('DE-EMA'));
    expect(res.status).toBe(400);
    expect(res.json.StatusCode.Code).toBe('022');
  });

  it('returns coordinates in the format the EMP asked for', async () => {
    const res = await t.call(
      'emp-a',
      `${PULL}?size=1`,
      pullEvseData('DE-EMA', { GeoCoordinatesResponseFormat: 'Google' }),
    );
    expect(res.json.content[0].GeoCoordinates).toEqual({ Google: { Coordinates: '52.521918 13.413215' } });
  });

  it('filters by SearchCenter radius', async () => {
    const far = { GeoCoordinates: { DecimalDegree: { Latitude: '48.137154', Longitude: '11.576124' } }, Radius: 10 };
    const near = { GeoCoordinates: { DecimalDegree: { Latitude: '52.520008', Longitude: '13.404954' } }, Radius: 1 };
    expect((await t.call('emp-a', PULL, pullEvseData('DE-EMA', { SearchCenter: far }))).json.totalElements).toBe(0);
    expect((await t.call('emp-a', PULL, pullEvseData('DE-EMA', { SearchCenter: near }))).json.totalElements).toBe(2001);
  });

  it('refuses LastCall combined with SearchCenter, CountryCodes or OperatorIds', async () => {
    const res = await t.call(
      'emp-a',
      PULL,
      pullEvseData('DE-EMA', { LastCall: '2026-01-01T00:00:00Z', CountryCodes: ['DEU'] }),
    );
    expect(res.status).toBe(400);
    expect(res.json.StatusCode).toMatchObject({ Code: '022' });
    expect(res.json.StatusCode.AdditionalInfo).toContain('CountryCodes');
  });

  it('answers a LastCall pull with only the changes since, tagged with deltaType', async () => {
    const since = new Date(Date.now() - 1).toISOString();
    await new Promise((r) => setTimeout(r, 5));
    expect(
      (
        await t.call(
          'cpo-a',
          PUSH,
          pushEvseData('DE*CPA', [evseRecord('DE*CPA*E0001', { IsOpen24Hours: false })], 'update'),
        )
      ).json.StatusCode.Code,
    ).toBe('000');
    expect(
      (await t.call('cpo-a', PUSH, pushEvseData('DE*CPA', [evseRecord('DE*CPA*E9999')], 'insert'))).json.StatusCode
        .Code,
    ).toBe('000');
    expect(
      (await t.call('cpo-a', PUSH, pushEvseData('DE*CPA', [evseRecord('DE*CPA*E0002')], 'delete'))).json.StatusCode
        .Code,
    ).toBe('000');
    const res = await t.call('emp-a', PULL, pullEvseData('DE-EMA', { LastCall: since }));
    const deltas = Object.fromEntries(
      res.json.content.map((r: { EvseID: string; deltaType: string }) => [r.EvseID, r.deltaType]),
    );
    expect(deltas).toEqual({ 'DE*CPA*E0001': 'update', 'DE*CPA*E0002': 'delete', 'DE*CPA*E9999': 'insert' });
  });

  it('answers 018 for an EvseID of another operator and changes nothing', async () => {
    const res = await t.call('cpo-a', PUSH, pushEvseData('DE*CPA', [evseRecord('DE*CPX*E1')], 'insert'));
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '018' } });
    expect(res.json.StatusCode.AdditionalInfo).toContain('DE*CPX*E1');
  });

  it('aborts an insert of an existing record with 009', async () => {
    const res = await t.call('cpo-a', PUSH, pushEvseData('DE*CPA', [evseRecord('DE*CPA*E0003')], 'insert'));
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '009' } });
  });

  it('stores statuses and serves them by ID (unknown → EvseNotFound) and by operator', async () => {
    const push = await t.call(
      'cpo-a',
      '/evsepush/v21/operators/DE*CPA/status-records',
      pushEvseStatus('DE*CPA', [{ EvseID: 'DE*CPA*E0000', EvseStatus: 'Occupied' }]),
    );
    expect(push.json.StatusCode.Code).toBe('000');
    const byId = await t.call('emp-a', '/evsepull/v21/providers/DE-EMA/status-records', {
      ProviderID: 'DE-EMA',
      EvseID: ['DE*CPA*E0000', 'DE*CPA*E7777'],
    });
    expect(byId.json.EVSEStatusRecords.EvseStatusRecord).toEqual([
      { EvseID: 'DE*CPA*E0000', EvseStatus: 'Occupied' },
      { EvseID: 'DE*CPA*E7777', EvseStatus: 'EvseNotFound' },
    ]);
    const byOp = await t.call('emp-a', '/evsepull/v21/providers/DE-EMA/status-records-by-operator-id', {
      ProviderID: 'DE-EMA',
      OperatorID: ['DE*CPA'],
    });
    expect(byOp.json.EvseStatuses.OperatorEvseStatus[0]).toMatchObject({
      OperatorID: 'DE*CPA',
      EvseStatusRecord: [{ EvseID: 'DE*CPA*E0000', EvseStatus: 'Occupied' }],
    });
    expect(t.recorder.all().at(-1)!.operation).toBe('PullEvseStatusByOperatorId');
  });
});
