import { expect, type Page, test } from '@playwright/test';
import { cdr, evseRecord, pushEvseData, pushEvseStatus, remoteStart } from '../helpers/messages.js';
import { syntheticExchange } from '../helpers/synthetic-exchanges.js';
import { type MonitorWorld, startMonitorWorld } from './monitor/monitor-world.js';

const START = '/charging/v21/providers/DE-EMA/authorize-remote/start';
const CDR = '/cdrmgmt/v22/operators/DE*CPA/charge-detail-record';
const PUSH_DATA = '/evsepush/v23/operators/DE*CPA/data-records';
const PUSH_STATUS = '/evsepush/v21/operators/DE*CPA/status-records';
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

// The hub's chain is self-signed and it asks for (but does not require) a client certificate: a browser gets in.
test.use({ ignoreHTTPSErrors: true, viewport: { width: 1600, height: 1000 } });

const rows = (page: Page) => page.locator('#rows tr');
const row = (page: Page, operation: string, direction: string) =>
  rows(page)
    .filter({ has: page.locator('td.op', { hasText: operation }) })
    .filter({ has: page.locator('td', { hasText: direction }) });

test.describe('process monitor page', () => {
  let w: MonitorWorld;
  test.beforeAll(async () => {
    w = await startMonitorWorld();
    await w.call(
      'cpo-a',
      PUSH_DATA,
      pushEvseData('DE*CPA', [
        evseRecord('DE*CPA*E1'),
        evseRecord('DE*CPA*E2', { ChargingStationNames: [{ lang: 'en', value: HOSTILE }] }),
      ]),
    );
    await w.call(
      'cpo-a',
      PUSH_STATUS,
      pushEvseStatus('DE*CPA', [
        { EvseID: 'DE*CPA*E1', EvseStatus: 'Available' },
        { EvseID: 'DE*CPA*E2', EvseStatus: 'Available' },
      ]),
    );
  });
  test.afterAll(async () => {
    await w.close();
  });

  test('shows a remote start, a failed CDR forward and an invalid push live; filters, detail and CSV work', async ({
    page,
  }, testInfo) => {
    await page.goto(w.monitorUrl);
    await expect(page.locator('#conn')).toHaveText('live');
    await expect(rows(page)).toHaveCount(2);
    await expect(page.locator('#evses tr[data-evse="DE*CPA*E1"] .st')).toHaveText('Available');

    // A remote start: both legs appear without a reload.
    const SessionID = (await w.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E1'))).json.SessionID as string;
    await expect(row(page, 'AuthorizeRemoteStart', 'partner→hub')).toHaveCount(1);
    await expect(row(page, 'AuthorizeRemoteStart', 'hub→partner')).toHaveCount(1);
    await expect(row(page, 'AuthorizeRemoteStart', 'partner→hub').locator('td.status')).toHaveText('000');

    // A CDR the EMP refuses with HTTP 500: the CPO's upload turns NOT_FORWARDED on the page once the forward failed.
    await w.call('cpo-a', CDR, cdr(SessionID, 'DE*CPA*E1'));
    const upload = row(page, 'ChargeDetailRecord', 'partner→hub');
    await expect(upload.locator('.badge.fwd-NOT_FORWARDED')).toHaveText('NOT_FORWARDED');
    await expect(row(page, 'ChargeDetailRecord', 'hub→partner').locator('td.http')).toHaveText('500');

    // An invalid push: HTTP 400, StatusCode 022, a violations badge.
    await w.call('cpo-a', PUSH_DATA, pushEvseData('DE*CPA', [evseRecord('not-an-evse-id')]));
    const invalid = rows(page).first();
    await expect(invalid.locator('td.op')).toHaveText('PushEvseData');
    await expect(invalid.locator('td.http')).toHaveText('400');
    await expect(invalid.locator('td.status')).toHaveText('022');
    await expect(invalid.locator('.badge.viol')).not.toHaveText('0');

    // The EVSE panel follows status pushes (the virtual stations' live state as the hub holds it).
    await w.call(
      'cpo-a',
      PUSH_STATUS,
      pushEvseStatus('DE*CPA', [{ EvseID: 'DE*CPA*E1', EvseStatus: 'Occupied' }], 'update'),
    );
    await expect(page.locator('#evses tr[data-evse="DE*CPA*E1"] .st')).toHaveText('Occupied');

    // Detail: request and response pretty-printed, violations with their JSON pointers.
    await row(page, 'PushEvseData', 'partner→hub').first().click();
    const detail = page.locator('#detail');
    await expect(detail).toBeVisible();
    await expect(detail.locator('ul.violations')).toContainText('/OperatorEvseData/EvseDataRecord/0/EvseID');
    await expect(detail.locator('pre.request-body')).toContainText('"EvseID": "not-an-evse-id"');
    await expect(detail.locator('pre.response-body')).toContainText('"Code": "022"');
    await expect(detail.locator('pre.headers').first()).toContainText('content-type: application/json');

    // Tabs filter the list; the live rows that arrive afterwards respect them too.
    await page.getByRole('tab', { name: 'CDRs' }).click();
    await expect(rows(page)).toHaveCount(2);
    await expect(rows(page).locator('td.op')).toContainText(['ChargeDetailRecord', 'ChargeDetailRecord']);
    await page.getByRole('tab', { name: 'Remote start/stop' }).click();
    await expect(rows(page)).toHaveCount(2);
    await w.call(
      'cpo-a',
      PUSH_STATUS,
      pushEvseStatus('DE*CPA', [{ EvseID: 'DE*CPA*E2', EvseStatus: 'Occupied' }], 'update'),
    );
    await w.call('emp-a', START, remoteStart('DE-EMA', 'DE*CPA*E2'));
    await expect(rows(page)).toHaveCount(4);
    await page.getByRole('tab', { name: 'EVSE data & status' }).click();
    await expect(rows(page).locator('td.op', { hasText: 'PushEvseStatus' })).toHaveCount(3);
    await page.getByRole('tab', { name: 'Sessions' }).click();
    await expect(rows(page)).toHaveCount(6);

    // The NOT_FORWARDED filter, then the CSV of exactly that list.
    await page.getByRole('tab', { name: 'All' }).click();
    await page.locator('#forward').selectOption('NOT_FORWARDED');
    await expect(rows(page)).toHaveCount(2);
    await expect(page).toHaveURL(/#forward=NOT_FORWARDED$/);
    // Chromium cancels downloads from an origin whose certificate it does not trust (the hub's local CA), so the
    // test fetches exactly the URL the button carries, in the page's own context.
    const href = await page.locator('#csv').getAttribute('href');
    expect(href).toContain('forward=NOT_FORWARDED');
    const response = await page.request.get(new URL(href!, page.url()).toString());
    expect(response.headers()['content-type']).toMatch(/^text\/csv/);
    const csv = (await response.text()).split('\r\n').filter(Boolean);
    expect(csv[0]).toMatch(
      /^seq,id,startedAt,direction,partnerId,operation,category,httpStatus,statusCode,durationMs,violations,/,
    );
    expect(csv).toHaveLength(3);
    expect(
      csv.slice(1).every((line) => line.includes(',ChargeDetailRecord,cdr,') && line.includes(',NOT_FORWARDED,')),
    ).toBe(true);

    // Free-text search across bodies.
    await page.locator('#forward').selectOption('');
    await page.locator('#q').fill('not-an-evse-id');
    await expect(rows(page)).toHaveCount(1);
    await page.locator('#q').fill('');
    await expect(page.locator('#summary')).toHaveText(/^1[0-9] shown of 1[0-9] matching$/);

    // The screenshot kept with the artifacts: the whole list, and the NOT_FORWARDED CDR opened.
    await row(page, 'ChargeDetailRecord', 'partner→hub').click();
    await expect(page.locator('#detail .cdr-forward')).toContainText('NOT_FORWARDED HTTP 500');
    await page.screenshot({ path: testInfo.outputPath('monitor.png'), fullPage: true });
    await testInfo.attach('monitor', { path: testInfo.outputPath('monitor.png'), contentType: 'image/png' });
  });

  test('renders recorded markup as text and runs none of it', async ({ page }) => {
    await page.goto(w.monitorUrl);
    await page.locator('#q').fill('onerror');
    const push = rows(page).filter({ has: page.locator('td.op', { hasText: 'PushEvseData' }) });
    await expect(push).toHaveCount(1);
    await push.click();
    await expect(page.locator('#detail pre.request-body')).toContainText(HOSTILE.replace(/"/g, '\\"'));
    await expect(page.locator('#detail img')).toHaveCount(0);
    await expect(page.locator('#detail script')).toHaveCount(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.locator('#detail-close').click();
    await expect(page.locator('#evses tr[data-evse="DE*CPA*E2"] td').first()).toHaveAttribute('title', HOSTILE);
  });

  test('the OCPP tab says plainly that this process runs no charge points; a category tab brings the list back', async ({
    page,
  }) => {
    await page.goto(w.monitorUrl);
    await expect(rows(page).first()).toBeVisible();
    await page.getByRole('tab', { name: 'OCPP' }).click();
    await expect(page.locator('#ocpp-none')).toBeVisible();
    await expect(page.locator('#ocpp-none')).toContainText('No OCPP charge points in this process');
    await expect(page.locator('#ocpp-list')).toBeHidden();
    await expect(page.locator('#exchanges-view')).toBeHidden();
    await expect(page.getByRole('tab', { name: 'OCPP' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('#tabs [aria-selected="true"]')).toHaveCount(0);
    await expect(page).toHaveURL(/#view=ocpp$/);
    await page.getByRole('tab', { name: 'CDRs' }).click();
    await expect(page.locator('#exchanges-view')).toBeVisible();
    await expect(page.locator('#ocpp-view')).toBeHidden();
    await expect(page.getByRole('tab', { name: 'CDRs' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'OCPP' })).toHaveAttribute('aria-selected', 'false');
    await expect(rows(page).locator('td.op').first()).toHaveText(/ChargeDetailRecord/);
  });

  test('stays usable with 10,000 recorded exchanges: pages of 100, older/newer, search', async ({ page }, testInfo) => {
    for (let i = 1; i <= 10_000; i++) w.recorder.record(syntheticExchange(i));
    const t0 = Date.now();
    await page.goto(w.monitorUrl);
    await expect(rows(page)).toHaveCount(100);
    testInfo.annotations.push({
      type: 'first page with 10k exchanges',
      description: `${Date.now() - t0} ms (informative, not asserted)`,
    });
    await expect(page.locator('#summary')).toHaveText(/^100 shown of \d+ matching$/);
    await expect(rows(page).first()).toHaveAttribute('data-id', 'syn10000');
    await page.locator('#older').click();
    await expect(rows(page).first()).toHaveAttribute('data-id', 'syn9900');
    await page.locator('#newer').click();
    await expect(rows(page).first()).toHaveAttribute('data-id', 'syn10000');
    await expect(page.locator('#newer')).toBeDisabled();
    w.recorder.record(syntheticExchange(10_001));
    await expect(rows(page).first()).toHaveAttribute('data-id', 'syn10001');
    await expect(rows(page)).toHaveCount(100);
    await page.locator('#q').fill('DE*CPA*E4242');
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toHaveAttribute('data-id', 'syn4242');
  });
});
