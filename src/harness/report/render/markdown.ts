/**
 * summary.md: the run at a glance for CI step summaries (GitHub `$GITHUB_STEP_SUMMARY`, GitLab MR notes): verdict,
 * totals, one table row per checklist item, the failing checks with expected and actual values, quality figures.
 * Exchanges stay in index.html: step summaries are size-limited and meant to be skimmed.
 */
import type { Check, ChecklistItem, Outcome, QualityFigure, Report, Verdict } from '../model.js';
import { SECTION_TITLES } from '../sections.js';
import { timeScaleStatement } from '../time-scale.js';
import { decisiveChecks, describeWarning, itemHeadline, showDuration, showValue } from './text.js';

const ICON: Readonly<Record<Outcome, string>> = { passed: '✅', failed: '❌', skipped: '⏭️', error: '⚠️' };

export const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  passed: 'every mandatory checklist item, and every optional one of a service your system offers, passed',
  failed: 'your system failed a checklist item that applies to it (or left a mandatory one unchecked)',
  error: 'the harness could not check a checklist item that applies to your system: the result is incomplete',
};

/** Plain text safe in Markdown and in a table cell: no markup, no HTML, one line. */
export function mdText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1');
}

/** A value as inline code, fenced so that backticks inside cannot end it; pipes escaped for tables. */
export function mdCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

function itemRow(item: ChecklistItem): string {
  // A failed item says why in its row too (its first failed check): a reader of the table alone learns what the
  // partner did without scrolling to the failures.
  const note = itemHeadline(item);
  return `| ${mdText(item.id)} | ${mdText(item.title)} | ${SECTION_TITLES[item.section]} | ${
    item.mandatory ? 'mandatory' : 'optional'
  } | ${ICON[item.outcome]} ${item.outcome} | ${showDuration(item.durationMs)} | ${mdText(note)} |`;
}

function checkLine(check: Check): string {
  const parts = [`- ${ICON[check.outcome]} **${mdText(check.title)}**`];
  if (check.expected !== undefined || check.actual !== undefined) {
    parts.push(`expected ${mdCode(showValue(check.expected))}, got ${mdCode(showValue(check.actual))}`);
  }
  if (check.message) parts.push(mdText(check.message));
  const where = [
    check.specRef && `spec: ${mdText(check.specRef)}`,
    check.exchangeId && `exchange ${mdCode(check.exchangeId)}`,
    check.pointer !== undefined && `field ${mdCode(`${check.side ?? 'response'} ${check.pointer || '/'}`)}`,
  ].filter(Boolean);
  return `${parts.join(' — ')}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}

function problems(items: readonly ChecklistItem[]): string[] {
  const bad = items.filter((i) => i.outcome === 'failed' || i.outcome === 'error');
  if (bad.length === 0) return [];
  return [
    '## Failures and errors',
    '',
    ...bad.flatMap((item) => [
      `### ${ICON[item.outcome]} ${mdText(item.id)} ${mdText(item.title)}`,
      '',
      ...(item.reason
        ? [`${item.reason.code ? `${mdCode(item.reason.code)} ` : ''}${mdText(item.reason.message)}`, '']
        : []),
      ...decisiveChecks(item).map(checkLine),
      '',
    ]),
  ];
}

/** SHOULDs not followed: listed for every item that has them, whatever its outcome (they never fail it). */
function warnings(items: readonly ChecklistItem[]): string[] {
  const warned = items.filter((i) => i.warnings?.length);
  if (warned.length === 0) return [];
  return [
    '## Warnings',
    '',
    'Recommendations of the spec (SHOULD, can) your system did not follow; they do not fail an item.',
    '',
    ...warned.flatMap((item) =>
      (item.warnings ?? []).map((w) => `- ${mdText(item.id)}: ${mdText(describeWarning(w))}`),
    ),
    '',
  ];
}

function qualityRow(f: QualityFigure): string {
  const show = (n: number | undefined): string => (n === undefined ? '–' : f.unit === '%' ? `${n} %` : showDuration(n));
  return `| ${f.title} | ${show(f.value)} | ${show(f.median)} | ${show(f.limit)} | ${show(f.bestPractice)} | ${
    f.samples
  } | ${f.rating} | ${mdText(f.note ?? '')} |`;
}

/** Below or above time scale 1 the figures do not stand for the partner at Hubject: said right under the run line. */
function scaleWarning(timeScale: number): string[] {
  const scale = timeScaleStatement(timeScale);
  return scale.representative ? [] : [`> ⚠️ ${mdText(scale.note)}`, ''];
}

/** summary.md of a report. */
export function renderMarkdown(report: Report): string {
  const { summary: s, run, partner } = report;
  const countRow = (o: Outcome): string =>
    `| ${ICON[o]} ${o} | ${s.mandatory[o]} | ${s.optional[o]} | ${s.counts[o]} |`;
  const lines = [
    `# ${ICON[s.verdict]} OICP certification dry run: ${s.verdict}`,
    '',
    `**Verdict: ${s.verdict}** — ${VERDICT_TEXT[s.verdict]}.`,
    '',
    `Partner ${mdCode(partner.id)} (${partner.role}${partner.name ? `, ${mdText(partner.name)}` : ''}) · run ${mdCode(
      run.id,
    )} · ${mdText(report.tool.name)} ${mdText(report.tool.version)} · started ${mdText(run.startedAt)} · took ${showDuration(
      run.durationMs,
    )} · time scale ${timeScaleStatement(report.settings.timeScale).label}`,
    '',
    ...scaleWarning(report.settings.timeScale),
    '| outcome | mandatory | optional | all |',
    '|---|---:|---:|---:|',
    ...(['passed', 'failed', 'skipped', 'error'] as const).map(countRow),
    '',
    '## Checklist',
    '',
    '| ID | Test | Section | M/O | Outcome | Time | Note |',
    '|---|---|---|---|---|---:|---|',
    ...report.items.map(itemRow),
    '',
    ...problems(report.items),
    ...warnings(report.items),
    '## Quality figures',
    '',
    '| Figure | Worst | Median | Limit | Best practice | Samples | Rating | Note |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...report.quality.map(qualityRow),
    '',
    `Sources: ${report.quality.map((f) => `${f.title}: ${mdText(f.source)}`).join('; ')}.`,
    '',
  ];
  return lines.join('\n');
}
