/**
 * The checklist part of the page: one section per service type, one item per checklist entry with its badge, and
 * a detail view (a native `<details>`, so it works without script and in print) holding the steps, every check
 * with expected and actual values, and the exchanges the item relied on.
 */
import type { Check, ChecklistItem, Report, Section, Step, Warning } from '../../model.js';
import { SECTION_TITLES, sectionsOf } from '../../sections.js';
import { describeWarning, itemHeadline, showDuration, showValue } from '../text.js';
import { anchorOf, esc } from './escape.js';
import { renderExchange } from './exchange.js';
import { renderOcppFrames } from './ocpp.js';

export const BADGE_TEXT = { passed: 'Passed', failed: 'Failed', skipped: 'Skipped', error: 'Error' } as const;

export function badge(outcome: ChecklistItem['outcome']): string {
  return `<span class="badge badge-${outcome}">${BADGE_TEXT[outcome]}</span>`;
}

/** Page-unique anchors for items, readable where possible (`#item-CPO-07`). */
export function itemAnchors(items: readonly ChecklistItem[]): string[] {
  const used = new Set<string>();
  return items.map((item, i) => {
    let anchor = `item-${anchorOf(item.id)}`;
    if (used.has(anchor)) anchor = `${anchor}-${i}`;
    used.add(anchor);
    return anchor;
  });
}

function checkRow(check: Check, exchangeAnchor: (id: string) => string | undefined): string {
  const target = check.exchangeId === undefined ? undefined : exchangeAnchor(check.exchangeId);
  const where =
    check.exchangeId === undefined
      ? ''
      : `${target ? `<a href="#${target}">` : ''}<code>${esc(check.exchangeId)}</code>${target ? '</a>' : ''}` +
        `${check.pointer === undefined ? '' : ` <code class="pointer">${esc(check.side ?? 'response')} ${esc(check.pointer || '/')}</code>`}`;
  const value = (v: unknown): string => (v === undefined ? '' : `<code>${esc(showValue(v))}</code>`);
  return (
    `<tr class="check check-${check.outcome}"><td>${badge(check.outcome)}</td><td>${esc(check.title)}` +
    `${check.message ? `<div class="check-message">${esc(check.message)}</div>` : ''}</td>` +
    `<td class="expected">${value(check.expected)}</td><td class="actual">${value(check.actual)}</td>` +
    `<td>${where}</td><td>${check.specRef ? esc(check.specRef) : ''}</td></tr>`
  );
}

function stepBlock(step: Step, exchangeAnchor: (id: string) => string | undefined): string {
  const checks = step.checks.length
    ? `<table class="checks"><caption class="sr-only">Checks of step ${step.index + 1}</caption><thead><tr>` +
      '<th scope="col">Outcome</th><th scope="col">Check</th><th scope="col">Expected</th>' +
      '<th scope="col">Actual</th><th scope="col">Exchange / field</th><th scope="col">Spec</th></tr></thead>' +
      `<tbody>${step.checks.map((c) => checkRow(c, exchangeAnchor)).join('')}</tbody></table>`
    : '<p class="muted">No check in this step.</p>';
  const reason = step.reason ? `<p class="reason">${esc(step.reason.message)}</p>` : '';
  return (
    `<li class="step"><h4>${badge(step.outcome)} Step ${step.index + 1}: ${esc(step.title)} ` +
    `<span class="muted">${showDuration(step.durationMs)}</span></h4>${reason}${checks}</li>`
  );
}

/** SHOULDs not followed, above the steps: they never change the badge, so they must be seen next to it. */
function warningList(warnings: readonly Warning[], exchangeAnchor: (id: string) => string | undefined): string {
  const line = (w: Warning): string => {
    const target = w.exchangeId === undefined ? undefined : exchangeAnchor(w.exchangeId);
    const where =
      w.exchangeId === undefined
        ? ''
        : ` ${target ? `<a href="#${target}">` : ''}<code>${esc(w.exchangeId)}</code>${target ? '</a>' : ''}` +
          `${w.pointer === undefined ? '' : ` <code class="pointer">${esc(w.side ?? 'request')} ${esc(w.pointer || '/')}</code>`}`;
    return `<li>${esc(w.message)}${w.specRef ? ` <span class="muted">(${esc(w.specRef)})</span>` : ''}${where}</li>`;
  };
  return `<div class="warnings"><p class="reason"><strong>Warnings</strong> (recommendations not followed; they do not fail the item):</p><ul>${warnings.map(line).join('')}</ul></div>`;
}

/** Lower-case text the search box matches: IDs, titles, reasons, checks, operations. */
function searchText(item: ChecklistItem, report: Report): string {
  const operations = report.exchanges.filter((e) => item.exchangeIds.includes(e.id)).map((e) => e.operation);
  const checks = item.steps.flatMap((s) => [
    s.title,
    ...s.checks.flatMap((c) => [c.title, c.message ?? '', c.specRef ?? '']),
  ]);
  const warnings = (item.warnings ?? []).map(describeWarning);
  return [
    item.id,
    item.title,
    SECTION_TITLES[item.section],
    item.reason?.message ?? '',
    item.specRef ?? '',
    ...checks,
    ...warnings,
    ...operations,
  ]
    .join(' ')
    .toLowerCase();
}

function itemBlock(item: ChecklistItem, index: number, anchor: string, report: Report): string {
  const exchanges = report.exchanges.filter((e) => item.exchangeIds.includes(e.id));
  const exchangeAnchor = (id: string): string | undefined => {
    const at = exchanges.findIndex((e) => e.id === id);
    return at < 0 ? undefined : `ex-${index}-${at}`;
  };
  const checks = item.steps.flatMap((s) => s.checks);
  // Shown under the collapsed item, so a failure is readable without opening it.
  const warned = item.warnings?.length ?? 0;
  const headline =
    item.outcome === 'passed'
      ? warned
        ? `${warned} warning${warned === 1 ? '' : 's'}: ${describeWarning(item.warnings![0]!)}`
        : ''
      : itemHeadline(item);
  const reason = item.reason
    ? `<p class="reason"><strong>${item.outcome === 'skipped' ? 'Skipped' : 'Not checked'}:</strong> ` +
      `${item.reason.code ? `<code>${esc(item.reason.code)}</code> ` : ''}${esc(item.reason.message)}</p>`
    : '';
  const steps = item.steps.length
    ? `<ol class="steps">${item.steps.map((s) => stepBlock(s, exchangeAnchor)).join('')}</ol>`
    : '';
  const exchangeHtml = exchanges.length
    ? `<h4>Exchanges</h4>${exchanges.map((e, i) => renderExchange(e, checks, `ex-${index}-${i}`)).join('')}`
    : '';
  const seqs = new Set(item.ocppFrameSeqs ?? []);
  const frameHtml = renderOcppFrames((report.ocppFrames ?? []).filter((f) => seqs.has(f.seq)));
  return (
    `<article class="item item-${item.outcome}" id="${anchor}" data-outcome="${item.outcome}" ` +
    `data-section="${item.section}" data-text="${esc(searchText(item, report))}">` +
    `<details><summary><h3>${badge(item.outcome)} <span class="item-id">${esc(item.id)}</span> ` +
    `<span class="item-title">${esc(item.title)}</span></h3><span class="item-meta">` +
    `<span class="tag">${item.mandatory ? 'mandatory' : 'optional'}</span> ${showDuration(item.durationMs)}</span></summary>` +
    `<div class="detail">${item.specRef ? `<p class="muted">Spec: ${esc(item.specRef)}</p>` : ''}${reason}${warned ? warningList(item.warnings!, exchangeAnchor) : ''}${steps}${exchangeHtml}${frameHtml}</div>` +
    `</details>${headline ? `<p class="headline">${esc(headline)}</p>` : ''}</article>`
  );
}

/** Every section of the role, in checklist order, with its items (or a note that the run had none). */
export function renderSections(report: Report, anchors: readonly string[]): string {
  const indexOf = new Map(report.items.map((item, i) => [item, i]));
  return sectionsOf(report.partner.role, report.items)
    .map(({ section, items }) => sectionBlock(section, items, report, indexOf, anchors))
    .join('\n');
}

function sectionBlock(
  section: Section,
  items: readonly ChecklistItem[],
  report: Report,
  indexOf: ReadonlyMap<ChecklistItem, number>,
  anchors: readonly string[],
): string {
  const body = items.length
    ? items
        .map((item) => {
          const i = indexOf.get(item) ?? 0;
          return itemBlock(item, i, anchors[i] ?? `item-${i}`, report);
        })
        .join('\n')
    : '<p class="muted empty-section">No checklist item of this service type ran.</p>';
  return (
    `<section class="section" data-section="${section}" aria-labelledby="sec-${section}">` +
    `<h2 id="sec-${section}">${esc(SECTION_TITLES[section])}</h2>\n${body}\n</section>`
  );
}
