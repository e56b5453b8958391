import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { renderHtml } from '../../src/harness/report/index.js';
import { exampleReport } from '../fixtures/report/example.js';

// The HTML report as a reviewer opens it: a file on disk, no server, no network. The example run has passes,
// failures, skipped items (mandatory and optional) and an item the harness could not check.
const dir = fileURLToPath(new URL('../../test-results/e2e/report-page/', import.meta.url));
const report = exampleReport();
let url: string;

test.beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}index.html`, renderHtml(report));
  url = pathToFileURL(`${dir}index.html`).toString();
});

const visibleItems = (page: Page) => page.locator('article.item:visible');

test('filters by outcome and section, searches, and shows the failing check with expected and actual', async ({
  page,
}, testInfo) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  await expect(visibleItems(page)).toHaveCount(report.items.length);
  await expect(page.locator('#filter-status')).toHaveText(
    `Showing ${report.items.length} of ${report.items.length} checklist items`,
  );

  // Outcome filter: hide the passed ones.
  const passed = report.items.filter((i) => i.outcome === 'passed').length;
  await page.locator('[data-filter-outcome="passed"]').click();
  await expect(visibleItems(page)).toHaveCount(report.items.length - passed);
  await expect(page.locator('article.item-passed:visible')).toHaveCount(0);
  await page.locator('#filter-reset').click();

  // Section filter.
  await page.locator('#filter-section').selectOption('authorization');
  const inAuthorization = report.items.filter((i) => i.section === 'authorization').length;
  await expect(visibleItems(page)).toHaveCount(inAuthorization);
  await page.locator('#filter-reset').click();

  // Search.
  await page.locator('#filter-search').fill('AuthorizeRemoteStart');
  await expect(visibleItems(page).first()).toContainText('AuthorizeRemoteStart');
  const found = await visibleItems(page).count();
  expect(found).toBeGreaterThan(0);
  expect(found).toBeLessThan(report.items.length);
  await page.locator('#filter-reset').click();

  // The failing item's detail: expected and actual, and the failing field highlighted in the exchange.
  const failing = report.items.find((i) => i.outcome === 'failed')!;
  const article = page.locator(`article.item[data-outcome="failed"]`).filter({ hasText: failing.id });
  await article.locator('summary').first().click();
  const resultRow = article.locator('tr', { hasText: 'Result' }).first();
  await expect(resultRow.locator('td.expected')).toContainText('true');
  await expect(resultRow.locator('td.actual')).toContainText('false');
  await expect(article.locator('mark.hl[data-pointer="/Result"]').first()).toBeVisible();

  // The hostile body and message are text, never markup; nothing was fetched.
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  expect(requests.filter((r) => !r.startsWith('file:'))).toEqual([]);

  await page.screenshot({ path: testInfo.outputPath('report.png'), fullPage: true });
  await testInfo.attach('report', { path: testInfo.outputPath('report.png'), contentType: 'image/png' });
});

test('a run off time scale 1 opens with a visible banner saying its figures are not representative', async ({
  page,
}, testInfo) => {
  const compressed = `${dir}compressed.html`;
  await writeFile(compressed, renderHtml(exampleReport({ timeScale: 0.02 })));
  await page.goto(pathToFileURL(compressed).toString());
  const banner = page.getByRole('note').filter({ hasText: 'Time scale 0.02' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('latency and quality figures are not representative');
  await expect(banner).toContainText('Run at --time-scale real (1) before certification.');
  // In the first screen, between the verdict and the run facts, above the totals and the quality figures.
  const box = await banner.boundingBox();
  const verdict = await page.locator('.verdict').boundingBox();
  const quality = await page.locator('#quality').boundingBox();
  expect(box!.y).toBeGreaterThan(verdict!.y);
  expect(box!.y + box!.height).toBeLessThan(quality!.y);
  expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
  await page.screenshot({ path: testInfo.outputPath('compressed.png') });
  await testInfo.attach('compressed', { path: testInfo.outputPath('compressed.png'), contentType: 'image/png' });

  // At real protocol time there is nothing to warn of.
  await page.goto(url);
  await expect(page.locator('.scale-banner')).toHaveCount(0);
  await expect(page.locator('header .facts')).toContainText('1 (real protocol time)');
});
