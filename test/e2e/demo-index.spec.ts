import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { renderHtml, renderSuiteIndex } from '../../src/harness/report/index.js';
import { exampleReport } from '../fixtures/report/example.js';

// The page `hbs-sim demo` writes over its two reports, opened from disk as a newcomer opens it: its inline style
// is allowed by its own CSP, each row links to that role's report, and nothing is fetched.
const dir = fileURLToPath(new URL('../../test-results/e2e/demo-index/', import.meta.url));

test('lists each partner with its verdict and opens its report', async ({ page }, testInfo) => {
  const cpo = exampleReport();
  const emp = {
    ...exampleReport(),
    partner: { ...cpo.partner, id: 'DE-REM', role: 'EMP' as const, name: 'Reference EMP <i>x</i>' },
  };
  await mkdir(`${dir}cpo`, { recursive: true });
  await writeFile(`${dir}cpo/index.html`, renderHtml(cpo));
  await writeFile(
    `${dir}index.html`,
    renderSuiteIndex('hbs-sim demo', [
      { report: cpo, href: 'cpo/' },
      { report: emp, href: 'emp/' },
    ]),
  );
  const requests: string[] = [];
  const violations: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
  await page.goto(pathToFileURL(`${dir}index.html`).toString());

  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Reference EMP <i>x</i>');
  await expect(rows.nth(0).locator('.badge')).toHaveText(new RegExp(cpo.summary.verdict, 'i'));
  // The inline stylesheet applied (its hash is in the CSP): the verdict box has its coloured left border.
  await expect(page.locator('.verdict')).toHaveCSS('border-left-width', '6px');
  await page.screenshot({ path: testInfo.outputPath('demo-index.png'), fullPage: true });

  await rows.nth(0).getByRole('link', { name: cpo.partner.id }).click();
  await expect(page.locator('h1')).toContainText(cpo.partner.id);
  expect(violations).toEqual([]);
  expect(requests.filter((r) => !r.startsWith('file:'))).toEqual([]);
});
