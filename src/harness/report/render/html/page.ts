/**
 * index.html: one self-contained page modeled on Hubject's certification checklist: the verdict, the run and the
 * partner under test, totals and quality figures, then one section per service type with every checklist item.
 * No network assets; a Content-Security-Policy allows only this page's own style and script (by hash), so even a
 * value that slipped past escaping could not run or load anything.
 */
import { OUTCOMES, type QualityFigure, type Report } from '../../model.js';
import { SECTION_TITLES, sectionsOf } from '../../sections.js';
import { timeScaleStatement } from '../../time-scale.js';
import { VERDICT_TEXT } from '../markdown.js';
import { itemHeadline, showDuration } from '../text.js';
import { esc } from './escape.js';
import { documentHead, sha256 } from './head.js';
import { BADGE_TEXT, badge, itemAnchors, renderSections } from './items.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';

/** A CSP source for an inline style or script. */

function facts(pairs: readonly [string, string | undefined][]): string {
  return `<dl class="facts">${pairs
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`)
    .join('')}</dl>`;
}

function runFacts(report: Report): string {
  const { run, partner, settings, tool } = report;
  const t = settings.timeouts;
  return facts([
    ['Partner', `${partner.id} (${partner.role})`],
    ['Name', partner.name],
    ['Sub-partner IDs', partner.subPartnerIds?.join(', ') || undefined],
    ['Run ID', run.id],
    ['Started', run.startedAt],
    ['Finished', run.finishedAt],
    ['Duration', showDuration(run.durationMs)],
    ['Tool', `${tool.name} ${tool.version}`],
    ['Transport', settings.transport],
    ['Time scale', timeScaleStatement(settings.timeScale).label],
    ['Timeouts', `authorize ${t.authorizeMs} ms, remote start ${t.remoteStartMs} ms, forward ${t.forwardMs} ms`],
    ['Acceptable Use Policy', settings.aupEnabled ? 'enforced' : 'off'],
    ['Hub URL', settings.hubUrl],
  ]);
}

/** Under the verdict, where nobody reads the figures without it: a run off time scale 1 does not stand for real time. */
function scaleBanner(timeScale: number): string {
  const scale = timeScaleStatement(timeScale);
  return scale.representative ? '' : `<p class="scale-banner" role="note">${esc(scale.note)}</p>\n`;
}

function endpoints(report: Report): string {
  const list = report.partner.endpoints;
  if (list.length === 0) return '';
  return `<details class="endpoints"><summary>Service URLs (${list.length})</summary><ul>${list
    .map((e) => `<li>${esc(e.name)}: <code>${esc(e.url)}</code></li>`)
    .join('')}</ul></details>`;
}

function totals(report: Report): string {
  const s = report.summary;
  const rows = OUTCOMES.map(
    (o) =>
      `<tr><th scope="row">${badge(o)}</th><td class="num">${s.mandatory[o]}</td><td class="num">${s.optional[o]}</td>` +
      `<td class="num">${s.counts[o]}</td></tr>`,
  ).join('');
  return (
    `<table class="summary"><caption class="sr-only">Checklist items per outcome</caption><thead><tr>` +
    '<th scope="col">Outcome</th><th scope="col">Mandatory</th><th scope="col">Optional</th><th scope="col">All</th>' +
    `</tr></thead><tbody>${rows}</tbody></table>`
  );
}

function quality(figures: readonly QualityFigure[]): string {
  const show = (f: QualityFigure, n: number | undefined): string =>
    n === undefined ? '–' : f.unit === '%' ? `${n} %` : showDuration(n);
  const rows = figures
    .map(
      (f) =>
        `<tr><th scope="row">${esc(f.title)}</th><td class="num">${show(f, f.value)}</td>` +
        `<td class="num">${show(f, f.median)}</td><td class="num">${show(f, f.limit)}</td>` +
        `<td class="num">${show(f, f.bestPractice)}</td><td class="num">${f.samples}</td>` +
        `<td><span class="tag rating-${f.rating}">${esc(f.rating)}</span></td>` +
        `<td>${esc(f.note ?? '')}<div class="muted">${esc(f.source)}</div></td></tr>`,
    )
    .join('');
  return (
    `<h2 id="quality">Quality figures</h2><table class="quality"><thead><tr><th scope="col">Figure</th>` +
    '<th scope="col">Worst</th><th scope="col">Median</th><th scope="col">Limit</th><th scope="col">Best practice</th>' +
    `<th scope="col">Samples</th><th scope="col">Rating</th><th scope="col">Note and source</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function problems(report: Report, anchors: readonly string[]): string {
  const bad = report.items
    .map((item, i) => ({ item, anchor: anchors[i] ?? '' }))
    .filter(({ item }) => item.outcome === 'failed' || item.outcome === 'error');
  if (bad.length === 0) return '';
  return `<h2 id="problems">Failures and errors</h2><ul class="problems">${bad
    .map(
      ({ item, anchor }) =>
        `<li>${badge(item.outcome)} <a href="#${anchor}"><strong>${esc(item.id)}</strong> ` +
        `${esc(item.title)}</a>: ${esc(itemHeadline(item))}</li>`,
    )
    .join('')}</ul>`;
}

function controls(report: Report): string {
  const options = sectionsOf(report.partner.role, report.items)
    .map(({ section }) => `<option value="${section}">${esc(SECTION_TITLES[section])}</option>`)
    .join('');
  const buttons = OUTCOMES.map(
    (o) =>
      `<button type="button" data-filter-outcome="${o}" aria-pressed="true">${BADGE_TEXT[o]} ` +
      `<span class="count">${report.summary.counts[o]}</span></button>`,
  ).join('');
  return (
    `<div class="controls" role="search" aria-label="Filter checklist items">` +
    `<fieldset><legend>Outcome</legend>${buttons}</fieldset>` +
    `<label for="filter-section">Section</label><select id="filter-section"><option value="">All sections</option>${options}</select>` +
    `<label for="filter-search">Search</label><input id="filter-search" type="search" placeholder="ID, title, field, operation…">` +
    '<button type="button" id="filter-reset">Show all</button>' +
    `<span id="filter-status" role="status" aria-live="polite">Showing ${report.items.length} of ${report.items.length} checklist items</span></div>`
  );
}

/** index.html of a report. */
export function renderHtml(report: Report): string {
  const anchors = itemAnchors(report.items);
  const { verdict } = report.summary;
  const title = `OICP certification dry run: ${report.partner.id} (${report.partner.role}) — ${verdict}`;
  const csp =
    `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; img-src data:; ` +
    "base-uri 'none'; form-action 'none'";
  return `${documentHead({ title, csp, meta: `<meta name="generator" content="${esc(`${report.tool.name} ${report.tool.version}`)}">\n` })}
<body>
<header>
<h1>OICP certification dry run — ${esc(report.partner.id)} (${esc(report.partner.role)})</h1>
<div class="verdict verdict-${verdict}" role="status"><strong>Verdict: ${badge(verdict)}</strong> ${esc(VERDICT_TEXT[verdict])}.</div>
${scaleBanner(report.settings.timeScale)}${runFacts(report)}
${endpoints(report)}
</header>
<main>
${totals(report)}
${problems(report, anchors)}
${quality(report.quality)}
<h2 id="checklist">Checklist</h2>
${controls(report)}
${renderSections(report, anchors)}
</main>
<footer>Report format version ${report.reportVersion} (schema: src/harness/report/report.schema.json). Generated by ${esc(report.tool.name)} ${esc(report.tool.version)}.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
