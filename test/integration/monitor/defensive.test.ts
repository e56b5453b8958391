import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECORDED_VIOLATIONS } from '../../../src/shared/exchange.js';
import { pushEvseStatus } from '../../helpers/messages.js';
import { type MonitorTestHub, startMonitorHub, syntheticExchange } from './monitor-hub.js';

const PUSH_STATUS = '/evsepush/v21/operators/DE*CPA/status-records';

describe('the monitor answers every view as JSON or CSV, whatever was recorded and however it is asked', () => {
  let t: MonitorTestHub;
  beforeAll(async () => {
    t = await startMonitorHub();
  });
  afterAll(() => t.close());

  it('counts every violation of an exchange in its row and CSV line, also those past the kept ones', async () => {
    const records = Array.from({ length: 500 }, (_, i) => ({ EvseID: `bad-${i}`, EvseStatus: 'Available' }));
    expect((await t.call('cpo-a', PUSH_STATUS, pushEvseStatus('DE*CPA', records))).status).toBe(400);
    const list = await t.monitor('/api/exchanges?operation=PushEvseStatus');
    const row = list.json.items[0];
    expect(row.violations).toBe(500);
    const detail = await t.monitor(`/api/exchanges/${row.id}`);
    expect(detail.json.exchange.violations).toHaveLength(MAX_RECORDED_VIOLATIONS);
    expect(detail.json.exchange.violationTotal).toBe(500);
    const csv = await t.monitor('/api/exchanges.csv?operation=PushEvseStatus');
    expect(csv.text).toContain(`… and ${500 - MAX_RECORDED_VIOLATIONS} more not kept`);
    expect(csv.text.split('\r\n')[1]!.split(',')[10]).toBe('500');
  });

  it('answers a URL Express cannot decode with a 400 error value, not an HTML error page', async () => {
    const res = await t.monitor('/api/exchanges/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json.error.code).toBe('BAD_QUERY');
    expect(res.text).not.toMatch(/<pre>|at .*\.js:\d+/);
  });

  it('shows an exchange holding a value JSON cannot carry (a BigInt) as text in list, search, CSV and detail', async () => {
    const odd = syntheticExchange(1);
    odd.id = 'odd-bigint';
    odd.request.body = { MeterValue: 10n ** 30n };
    t.recorder.record(odd);
    for (const path of [
      '/api/exchanges',
      '/api/exchanges?q=metervalue',
      '/api/exchanges.csv',
      '/api/exchanges/odd-bigint',
    ]) {
      const res = await t.monitor(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toMatch(/<pre>|TypeError/);
    }
    expect((await t.monitor('/api/exchanges/odd-bigint')).json.exchange.request.body.MeterValue).toBe(
      String(10n ** 30n),
    );
  });
});
