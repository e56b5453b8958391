import type { Report } from '../../model.js';
import { timeScaleStatement } from '../../time-scale.js';
import { esc } from './escape.js';
import { documentHead, sha256 } from './head.js';
import { badge } from './items.js';
import { STYLE } from './style.js';

/**
 * index.html of a run over several partners (`hbs-sim demo`: the reference CPO and EMP): one row per report with
 * its verdict and counts, linking to that report's own page. Static: no script, works from file://.
 */

export interface SuiteEntry {
  report: Report;
  /** Relative link to the report's folder, e.g. `cpo/`. */
  href: string;
}

export function renderSuiteIndex(title: string, entries: readonly SuiteEntry[]): string {
  const verdict = entries.some((e) => e.report.summary.verdict === 'error')
    ? 'error'
    : entries.some((e) => e.report.summary.verdict === 'failed')
      ? 'failed'
      : 'passed';
  const csp = `default-src 'none'; style-src ${sha256(STYLE)}; base-uri 'none'; form-action 'none'`;
  const rows = entries.map(({ report: r, href }) => {
    const c = r.summary.counts;
    return (
      `<tr><td><a href="${esc(`${href}index.html`)}">${esc(r.partner.id)}</a></td><td>${esc(r.partner.role)}</td><td>${esc(r.partner.name ?? '')}</td>` +
      `<td>${badge(r.summary.verdict)}</td><td>${c.passed}</td><td>${c.failed}</td><td>${c.error}</td><td>${c.skipped}</td><td>${c.total}</td><td>${esc(timeScaleStatement(r.settings.timeScale).label)}</td>` +
      `<td><a href="${esc(`${href}junit.xml`)}">JUnit</a> · <a href="${esc(`${href}report.json`)}">JSON</a></td></tr>`
    );
  });
  // One banner per distinct scale off 1 (a demo runs both roles at one scale, so at most one in practice).
  const notes = [
    ...new Set(
      entries
        .map((e) => timeScaleStatement(e.report.settings.timeScale))
        .flatMap((t) => (t.representative ? [] : [t.note])),
    ),
  ];
  const banners = notes.map((note) => `\n<p class="scale-banner" role="note">${esc(note)}</p>`).join('');
  return `${documentHead({ title: `${title} — ${verdict}`, csp })}
<body>
<header><h1>${esc(title)}</h1>
<div class="verdict verdict-${verdict}" role="status"><strong>Verdict: ${badge(verdict)}</strong> over ${entries.length} partner${entries.length === 1 ? '' : 's'}.</div>${banners}</header>
<main>
<table><caption class="sr-only">Reports</caption>
<thead><tr><th scope="col">Partner</th><th scope="col">Role</th><th scope="col">Name</th><th scope="col">Verdict</th><th scope="col">Passed</th><th scope="col">Failed</th><th scope="col">Error</th><th scope="col">Skipped</th><th scope="col">Items</th><th scope="col">Time scale</th><th scope="col">Files</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</main>
</body>
</html>
`;
}
