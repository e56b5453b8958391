import { expect, type Page, test } from '@playwright/test';
import { FrameLog } from '../../src/ocpp/frames.js';
import { type MonitorWorld, startMonitorWorld } from './monitor/monitor-world.js';

/** The monitor's OCPP tab in Chromium: a run's charge point frames listed live, a frame's detail, its pair. */

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

// The hub's chain is self-signed and it asks for (but does not require) a client certificate: a browser gets in.
test.use({ ignoreHTTPSErrors: true, viewport: { width: 1600, height: 1000 } });

const frameRows = (page: Page) => page.locator('#ocpp-rows tr');

test.describe('process monitor, OCPP tab', () => {
  let w: MonitorWorld;
  const frames = new FrameLog();
  test.beforeAll(async () => {
    w = await startMonitorWorld({ ocppFrames: frames });
    frames.add(
      'CP-0001',
      'cp→csms',
      '[2,"b1","BootNotification",{"chargePointVendor":"hbs-sim","chargePointModel":"v"}]',
    );
    frames.add(
      'CP-0001',
      'csms→cp',
      '[3,"b1",{"status":"Accepted","currentTime":"2026-12-02T10:00:00Z","interval":300}]',
    );
  });
  test.afterAll(async () => {
    await w.close();
  });

  test('lists the frames live, newest first, and opens a frame with the other half of its call', async ({
    page,
  }, testInfo) => {
    await page.goto(w.monitorUrl);
    await page.getByRole('tab', { name: 'OCPP' }).click();
    await expect(page.locator('#ocpp-none')).toBeHidden();
    await expect(frameRows(page)).toHaveCount(2);
    await expect(page.locator('#ocpp-conn')).toHaveText('live');
    const boot = frameRows(page).nth(1);
    await expect(boot.locator('td').nth(1)).toHaveText('CP-0001');
    await expect(boot.locator('td').nth(2)).toHaveText('CP → CSMS');
    await expect(boot.locator('td').nth(3)).toHaveText('CALL');
    await expect(boot.locator('td.op')).toHaveText('BootNotification');
    await expect(boot.locator('td').nth(5)).toHaveText('b1');
    await expect(boot.locator('td.payload')).toContainText('"chargePointVendor":"hbs-sim"');

    // Frames arrive without a reload: a remote start the CSMS sends, and the charge point's CALLERROR answer.
    frames.add('CP-0001', 'csms→cp', `[2,"r1","RemoteStartTransaction",{"idTag":"${HOSTILE.replace(/"/g, '\\"')}"}]`);
    frames.add('CP-0001', 'cp→csms', '[4,"r1","FormationViolation","idTag longer than 20 characters",{}]');
    await expect(frameRows(page)).toHaveCount(4);
    const error = frameRows(page).first();
    await expect(error).toHaveAttribute('data-type', 'CALLERROR');
    await expect(error.locator('td').nth(2)).toHaveText('CP → CSMS');
    await expect(error.locator('td.op')).toHaveText('RemoteStartTransaction');
    await expect(error.locator('td.payload')).toHaveText('FormationViolation: idTag longer than 20 characters');
    await expect(page.locator('#ocpp-summary')).toHaveText('4 shown of 4 frames in memory');

    // The answer's detail names the call it answers; the link opens the call, its payload shown as text.
    await error.click();
    const detail = page.locator('#ocpp-detail');
    await expect(detail).toBeVisible();
    await expect(detail.locator('h2 span')).toHaveText('CALLERROR RemoteStartTransaction');
    await expect(detail.locator('dl')).toContainText('FormationViolation: idTag longer than 20 characters');
    await detail.getByRole('button', { name: /CALL RemoteStartTransaction seq 3/ }).click();
    await expect(detail.locator('h2 span')).toHaveText('CALL RemoteStartTransaction');
    await expect(detail.locator('pre.frame-payload')).toContainText(`"idTag": "${HOSTILE.replace(/"/g, '\\"')}"`);
    await expect(detail.locator('img')).toHaveCount(0);
    await expect(frameRows(page).nth(1)).toHaveClass(/selected/);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: testInfo.outputPath('monitor-ocpp.png'), fullPage: true });
    await testInfo.attach('monitor-ocpp', { path: testInfo.outputPath('monitor-ocpp.png'), contentType: 'image/png' });
    await page.locator('#ocpp-detail-close').click();
    await expect(detail).toBeHidden();

    // The view is in the URL: a reload opens the OCPP tab again.
    await expect(page).toHaveURL(/#view=ocpp$/);
    await page.reload();
    await expect(page.getByRole('tab', { name: 'OCPP' })).toHaveAttribute('aria-selected', 'true');
    await expect(frameRows(page)).toHaveCount(4);
  });

  test('pages through more frames than one page holds, and shows a malformed frame as text', async ({ page }) => {
    for (let i = 1; i <= 150; i++) frames.add('CP-0002', 'cp→csms', `[2,"h${i}","Heartbeat",{}]`);
    frames.add('CP-0002', 'csms→cp', 'not a frame');
    await page.goto(`${w.monitorUrl}#view=ocpp`);
    await expect(frameRows(page)).toHaveCount(100);
    await expect(frameRows(page).first()).toHaveAttribute('data-type', 'MALFORMED');
    await expect(frameRows(page).first().locator('td.payload')).toHaveText('not a frame');
    const newest = Number(await frameRows(page).first().getAttribute('data-seq'));
    await page.locator('#ocpp-older').click();
    await expect(frameRows(page).first()).toHaveAttribute('data-seq', String(newest - 100));
    // Frames that arrive while an older page is open are counted, not slipped into it.
    frames.add('CP-0002', 'cp→csms', '[2,"h151","Heartbeat",{}]');
    await expect(page.locator('#ocpp-new')).toHaveText('1 new · show newest');
    await page.locator('#ocpp-new').click();
    await expect(frameRows(page).first()).toHaveAttribute('data-seq', String(newest + 1));
    await expect(page.locator('#ocpp-newer')).toBeDisabled();
    await frameRows(page).nth(1).click();
    await expect(page.locator('#ocpp-detail pre.frame-text')).toHaveText('not a frame');
  });
});
