import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectHubMessagesValid,
  type FakePartner,
  startFakePartner,
  startTestHub,
  type TestHub,
} from '../../helpers/hub.js';
import { ack, evseRecord, pushEvseData, remoteStart } from '../../helpers/messages.js';

describe('charging notifications and dynamic pricing', () => {
  let t: TestHub;
  let cpo: FakePartner;
  let emp: FakePartner;
  let sessionId = '';
  beforeAll(async () => {
    t = await startTestHub();
    cpo = await startFakePartner(t.certs, 'cpo-a', (_p, b) => ({ body: ack(true, '000', b.SessionID) }));
    emp = await startFakePartner(t.certs, 'emp-a', () => ({ body: ack(true) }));
    t.hub.context.directory.setServiceUrl('cpo-a', 'authorization', cpo.url);
    t.hub.context.directory.setServiceUrl('emp-a', 'chargingNotifications', emp.url);
    await t.call(
      'cpo-a',
      '/evsepush/v23/operators/DE*CPA/data-records',
      pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]),
    );
    sessionId = (
      await t.call('emp-a', '/charging/v21/providers/DE-EMA/authorize-remote/start', remoteStart('DE-EMA', 'DE*CPA*E1'))
    ).json.SessionID;
  });
  afterAll(async () => {
    expectHubMessagesValid(t.recorder.all());
    await Promise.all([cpo.close(), emp.close()]);
    await t.close();
  });

  const notify = (body: Record<string, unknown>) =>
    t.call('cpo-a', '/notificationmgmt/v11/charging-notifications', {
      SessionID: sessionId,
      EvseID: 'DE*CPA*E1',
      OperatorID: 'DE*CPA',
      ...body,
    });

  it('forwards a Start notification to the EMP and relays its acknowledgement', async () => {
    const res = await notify({ Type: 'Start', ChargingStart: '2026-11-22T10:00:00Z' });
    expect(res.json).toMatchObject({ Result: true, StatusCode: { Code: '000' } });
    expect(emp.received.at(-1)).toMatchObject({
      path: '/oicp/notificationmgmt/v11/charging-notifications',
      body: { Type: 'Start', SessionID: sessionId },
    });
  });

  it('flags Progress notifications closer than 5 minutes and a ChargingDuration that does not add up', async () => {
    await notify({
      Type: 'Progress',
      ChargingStart: '2026-11-22T10:00:00Z',
      EventOccurred: '2026-11-22T10:05:00Z',
      ChargingDuration: 300000,
    });
    const second = await notify({
      Type: 'Progress',
      ChargingStart: '2026-11-22T10:00:00Z',
      EventOccurred: '2026-11-22T10:06:00Z',
      ChargingDuration: 48000,
    });
    expect(second.json.Result).toBe(true);
    const flags = t.recorder
      .all()
      .filter((x) => x.direction === 'partner→hub')
      .at(-1)!
      .violations.map((v) => v.message)
      .join('\n');
    expect(flags).toMatch(/60 s after the previous one/);
    expect(flags).toMatch(/ChargingDuration 48000 ms ≠ EventOccurred − ChargingStart = 360000 ms/);
  });

  it('refuses a notification for an unknown session with 400 and an unknown Type with 022 at /Type', async () => {
    const unknown = await t.call('cpo-a', '/notificationmgmt/v11/charging-notifications', {
      Type: 'End',
      SessionID: '00000000-0000-0000-0000-000000000002',
      EvseID: 'DE*CPA*E1',
      OperatorID: 'DE*CPA',
      ChargingEnd: '2026-11-22T11:00:00Z',
    });
    expect(unknown.json.StatusCode.Code).toBe('400');
    const badType = await notify({ Type: 'Finish' });
    expect(badType.status).toBe(400);
    expect(badType.json.StatusCode.AdditionalInfo).toContain('/Type');
  });

  it('serves pushed pricing products and EVSE prices to a contracted EMP, and 210 to one without contract', async () => {
    const products = {
      ActionType: 'fullLoad',
      PricingProductData: {
        OperatorID: 'DE*CPA',
        ProviderID: '*',
        PricingDefaultPrice: 0.39,
        PricingDefaultPriceCurrency: 'EUR',
        PricingDefaultReferenceUnit: 'KILOWATT_HOUR',
        PricingProductDataRecords: [
          {
            ProductID: 'AC1',
            ReferenceUnit: 'KILOWATT_HOUR',
            ProductPriceCurrency: 'EUR',
            PricePerReferenceUnit: 0.39,
            MaximumProductChargingPower: 22,
            IsValid24hours: true,
            ProductAvailabilityTimes: [{ Periods: [{ begin: '00:00', end: '23:59' }], on: 'Everyday' }],
          },
        ],
      },
    };
    const pushed = await t.call('cpo-a', '/dynamicpricing/v10/operators/DE*CPA/pricing-products', products);
    expect(pushed.json.StatusCode.Code).toBe('000');
    const evsePricing = await t.call('cpo-a', '/dynamicpricing/v10/operators/DE*CPA/evse-pricing', {
      ActionType: 'fullLoad',
      EVSEPricing: [{ EvseID: 'DE*CPA*E1', ProviderID: '*', EvseIDProductList: ['AC1'] }],
    });
    expect(evsePricing.json.StatusCode.Code).toBe('000');
    const pulled = await t.call('emp-a', '/dynamicpricing/v10/providers/DE-EMA/pricing-products', {
      OperatorIDs: ['DE*CPA'],
    });
    expect(pulled.json.PricingProductData[0]).toMatchObject({ OperatorID: 'DE*CPA', PricingDefaultPrice: 0.39 });
    const pulledEvse = await t.call('emp-a', '/dynamicpricing/v10/providers/DE-EMA/evse-pricing', {
      ProviderID: 'DE-EMA',
      OperatorIDs: ['DE*CPA'],
    });
    expect(pulledEvse.json.EVSEPricing[0]).toMatchObject({
      OperatorID: 'DE*CPA',
      EVSEPricing: [{ EvseID: 'DE*CPA*E1', ProviderID: 'DE-EMA', EvseIDProductList: ['AC1'] }],
    });
    const noContract = await t.call('emp-x', '/dynamicpricing/v10/providers/DE-EMX/pricing-products', {
      OperatorIDs: ['DE*CPA'],
    });
    expect(noContract.json.StatusCode.Code).toBe('210');
  });
});
