import { Router } from 'express';
import type { FrameLog } from '../ocpp/frames.js';
import { sendError } from './api-error.js';
import { emptyFramePage, frameWithPair, listFrames, NO_CHARGE_POINTS, toFrameRow } from './ocpp-rows.js';
import { type FrameFeed, openFrameStream } from './ocpp-stream.js';
import { PAGE_PARAMS, parsePage, parseResume } from './query.js';
import { queryOf, sendJson } from './respond.js';
import type { StreamOptions } from './sse.js';

/**
 * The OCPP frames of the run's charge points, under /monitor/api/ocpp: a page (`?limit`, `before`, `after`), one
 * frame with the other half of its call (`/{seq}`), and a stream of its own (`/stream`). Not events on the exchange
 * stream: its ids are exchange seqs, and a second numbering there would break Last-Event-ID resumption.
 */
export function ocppApi(feed: FrameFeed | undefined, stream: StreamOptions, now: () => Date): Router {
  const api = Router();
  const frames = feed?.frames;

  api.get('/', (req, res) => {
    const params = queryOf(req, res, PAGE_PARAMS);
    if (!params) return;
    const page = parsePage(params);
    if (!page.ok) return sendError(res, page.error);
    sendJson(res, frames ? listFrames(frames, page.value) : emptyFramePage());
  });

  api.get('/stream', (req, res) => {
    const params = queryOf(req, res, ['after']);
    if (!params) return;
    const resume = parseResume(params, req.get('last-event-id'));
    if (!resume.ok) return sendError(res, resume.error);
    if (!feed) return sendError(res, { code: 'NOT_FOUND', message: `${NO_CHARGE_POINTS}; nothing to stream` });
    openFrameStream(req, res, { feed, resumeAfter: resume.value, options: stream, now });
  });

  api.get('/:seq', (req, res) => {
    if (!queryOf(req, res, [])) return;
    const raw = String(req.params.seq);
    if (!/^[1-9]\d{0,14}$/.test(raw))
      return sendError(res, {
        code: 'BAD_QUERY',
        message: `a frame is named by its seq from GET /monitor/api/ocpp (an integer ≥ 1); got "${raw.slice(0, 40)}"`,
      });
    if (!frames) return sendError(res, { code: 'NOT_FOUND', message: NO_CHARGE_POINTS });
    const seq = Number(raw);
    const found = frameWithPair(frames, seq);
    if (!found) return sendError(res, { code: 'NOT_FOUND', message: missing(frames, seq) });
    sendJson(res, {
      row: toFrameRow(found.frame),
      frame: found.frame,
      pair: found.pair ? toFrameRow(found.pair) : null,
    });
  });

  return api;
}

function missing(frames: FrameLog, seq: number): string {
  const newest = frames.recordedCount();
  if (seq > newest) return `no OCPP frame ${seq} yet: the newest is ${newest}`;
  return `OCPP frame ${seq} left memory (the log keeps the newest); the JSONL transcript (--transcript) keeps every frame`;
}
