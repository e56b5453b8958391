/**
 * One exchange in the detail view: who called whom, the answer, timings, the rules it broke, then request and
 * response with headers (already redacted by the builder) and pretty-printed bodies with the checked fields marked.
 */
import type { Check, ReportExchange } from '../../model.js';
import { showDuration } from '../text.js';
import { esc } from './escape.js';
import { type Highlight, renderJsonHtml } from './json-view.js';

type Side = 'request' | 'response';

/** Highlights for one side of an exchange: the checks that point into it, and the violations the hub recorded. */
export function highlightsFor(exchange: ReportExchange, checks: readonly Check[], side: Side): Highlight[] {
  const fromChecks = checks
    .filter((c) => c.exchangeId === exchange.id && c.pointer !== undefined && (c.side ?? 'response') === side)
    .map(
      (c): Highlight => ({
        pointer: c.pointer ?? '',
        kind: c.outcome === 'failed' || c.outcome === 'error' ? 'fail' : 'info',
        label: c.title,
      }),
    );
  const fromViolations = exchange.violations
    .filter((v) => v.side === side)
    .map((v): Highlight => ({ pointer: v.pointer, kind: 'violation', label: `${v.kind}: ${v.message}` }));
  return [...fromChecks, ...fromViolations];
}

function headersTable(headers: Readonly<Record<string, string>>): string {
  const rows = Object.entries(headers)
    .map(([name, value]) => `<tr><th scope="row">${esc(name)}</th><td>${esc(value)}</td></tr>`)
    .join('');
  return rows ? `<table class="headers"><caption>Headers</caption>${rows}</table>` : '';
}

function message(title: string, m: ReportExchange['request'] | undefined, highlights: Highlight[]): string {
  if (!m) return `<div class="message"><h6>${title}</h6><p class="muted">No answer.</p></div>`;
  const line = [m.method, m.url, m.status === undefined ? undefined : `HTTP ${m.status}`]
    .filter((x) => x !== undefined)
    .map((x) => esc(x))
    .join(' ');
  return (
    `<div class="message"><h6>${title}</h6>${line ? `<p class="http-line"><code>${line}</code></p>` : ''}` +
    `${headersTable(m.headers)}<pre class="json">${renderJsonHtml(m.body, highlights)}</pre></div>`
  );
}

/** The exchange as a block with a stable anchor (`anchor` is page-unique, built from indices). */
export function renderExchange(exchange: ReportExchange, checks: readonly Check[], anchor: string): string {
  const e = exchange;
  const facts = [
    ['Direction', e.direction],
    ['Partner', e.partnerId],
    ['SessionID', e.sessionId],
    ['StatusCode', e.statusCode],
    ['Started', e.startedAt],
    ['Duration', showDuration(e.durationMs)],
    ['Caused by', e.causeId],
  ]
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([k, v]) => `<div><dt>${k}</dt><dd>${esc(v)}</dd></div>`)
    .join('');
  const violations = e.violations.length
    ? `<ul class="violations" aria-label="Rules broken">${e.violations
        .map(
          (v) =>
            `<li><span class="tag">${esc(v.kind)}</span> ${esc(v.side)} <code>${esc(v.pointer || '/')}</code>: ${esc(v.message)}</li>`,
        )
        .join('')}</ul>`
    : '';
  const transport = e.transportError
    ? `<p class="transport-error" role="note"><strong>No HTTP answer (${esc(e.transportError.code)}):</strong> ${esc(e.transportError.message)}</p>`
    : '';
  return (
    `<section class="exchange" id="${anchor}" aria-label="Exchange ${esc(e.id)}">` +
    `<h5><code>${esc(e.id)}</code> ${esc(e.operation)}</h5><dl class="facts">${facts}</dl>${transport}${violations}` +
    `<div class="messages">${message('Request', e.request, highlightsFor(e, checks, 'request'))}` +
    `${message('Response', e.response, highlightsFor(e, checks, 'response'))}</div></section>`
  );
}
