import { Router } from 'express';
import type { ForwardStatus, HubPort } from '../hub/port.js';
import { OPERATION_IDS } from '../oicp/operations.js';
import type { Exchange } from '../shared/exchange.js';
import { sendError } from './api-error.js';
import { CATEGORIES, CATEGORY_LABELS, operationsIn } from './categories.js';
import { CSV_COLUMNS, csvHeader, csvRow } from './csv.js';
import type { LiveFeed } from './feed.js';
import { listExchanges, matching } from './list.js';
import { checkParams, FILTER_PARAMS, PAGE_PARAMS, parseFilter, parsePage, parseResume } from './query.js';
import { queryOf, sendJson } from './respond.js';
import { type CdrLookup, FORWARD_STATUSES, toRow } from './rows.js';
import { openStream, type StreamOptions } from './sse.js';
import { cdrView, evseView, sessionView } from './state-views.js';

/**
 * The monitor's JSON API (the page uses nothing else): read-only views of the recorder and the hub's state.
 * Every route is GET; every bad parameter is a 400 `{ error: { code, message } }`.
 */
export function monitorApi(hub: HubPort, feed: LiveFeed, stream: StreamOptions): Router {
  const api = Router();
  const { recorder } = hub;
  const cdrOf: CdrLookup = (sessionId) => hub.state.cdrs.forSession(sessionId);

  api.get('/meta', (req, res) => {
    if (!queryOf(req, res, [])) return;
    sendJson(res, {
      categories: CATEGORIES.map((id) => ({ id, label: CATEGORY_LABELS[id], operations: operationsIn(id) })),
      operations: [...OPERATION_IDS, 'unknown'],
      forwardStatuses: FORWARD_STATUSES,
      filterParams: FILTER_PARAMS,
      pageParams: PAGE_PARAMS,
      csvColumns: CSV_COLUMNS,
    });
  });

  api.get('/exchanges', (req, res) => {
    const params = queryOf(req, res, [...FILTER_PARAMS, ...PAGE_PARAMS]);
    if (!params) return;
    const filter = parseFilter(params);
    if (!filter.ok) return sendError(res, filter.error);
    const page = parsePage(params);
    if (!page.ok) return sendError(res, page.error);
    sendJson(res, listExchanges(recorder, filter.value, page.value, cdrOf));
  });

  api.get('/exchanges.csv', (req, res) => {
    const params = new URL(req.originalUrl, 'http://monitor.invalid').searchParams;
    const problem = checkParams(params, FILTER_PARAMS);
    if (problem)
      return sendError(res, {
        ...problem,
        message: `${problem.message} (the CSV holds every matching exchange, so it takes no paging)`,
      });
    const filter = parseFilter(params);
    if (!filter.ok) return sendError(res, filter.error);
    const stamp = hub.clock.now().toISOString().replace(/[:.]/g, '-');
    res.status(200).set({
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="hbs-exchanges-${filter.value.category}-${stamp}.csv"`,
      'cache-control': 'no-store',
    });
    const lines = [csvHeader()];
    for (const m of matching(recorder, filter.value, cdrOf))
      lines.push(csvRow(toRow(m.exchange, m.seq, cdrOf), m.exchange));
    res.end(lines.join(''));
  });

  api.get('/exchanges/:id', (req, res) => {
    if (!queryOf(req, res, [])) return;
    const id = String(req.params.id);
    const exchange = recorder.get(id);
    if (!exchange) {
      const dropped = recorder.droppedCount();
      const hint = dropped
        ? `; ${dropped} older exchange(s) left memory, the JSONL transcript (--transcript) keeps them`
        : '';
      return sendError(res, { code: 'NOT_FOUND', message: `no exchange "${id}" in memory${hint}` });
    }
    const rowOf = (x: Exchange) => toRow(x, recorder.seqOf(x.id) ?? 0, cdrOf);
    const cause = exchange.causeId ? recorder.get(exchange.causeId) : undefined;
    const sessionId = exchange.sessionId?.toLowerCase();
    const cdr = exchange.sessionId ? cdrOf(exchange.sessionId) : undefined;
    sendJson(res, {
      row: rowOf(exchange),
      exchange,
      cause: cause ? rowOf(cause) : null,
      // A leg HBS sent while the request waited is recorded before it, a CDR forwarded later after it: look at all.
      legs: recorder.all().flatMap((x) => (x.causeId === id ? [rowOf(x)] : [])),
      session: (sessionId && sessionView(hub).find((s) => s.SessionID.toLowerCase() === sessionId)) || null,
      cdr: cdr
        ? { forwardStatus: cdr.forwardStatus, forwardInfo: cdr.forwardInfo ?? null, receivedAt: cdr.receivedAt }
        : null,
    });
  });

  api.get('/stream', (req, res) => {
    const params = queryOf(req, res, [...FILTER_PARAMS, 'after']);
    if (!params) return;
    const filter = parseFilter(params);
    if (!filter.ok) return sendError(res, filter.error);
    const resume = parseResume(params, req.get('last-event-id'));
    if (!resume.ok) return sendError(res, resume.error);
    openStream(req, res, { hub, feed, filter: filter.value, resumeAfter: resume.value, cdrOf, options: stream });
  });

  api.get('/evses', (req, res) => {
    if (queryOf(req, res, [])) sendJson(res, evseView(hub));
  });

  api.get('/sessions', (req, res) => {
    if (queryOf(req, res, [])) sendJson(res, { sessions: sessionView(hub) });
  });

  api.get('/cdrs', (req, res) => {
    const params = queryOf(req, res, ['forward']);
    if (!params) return;
    const forward = params.get('forward') || undefined;
    if (forward !== undefined && !(FORWARD_STATUSES as readonly string[]).includes(forward)) {
      return sendError(res, {
        code: 'BAD_QUERY',
        message: `forward must be one of ${FORWARD_STATUSES.join(', ')}; got "${forward}"`,
      });
    }
    sendJson(res, { cdrs: cdrView(hub, forward as ForwardStatus | undefined) });
  });

  return api;
}
