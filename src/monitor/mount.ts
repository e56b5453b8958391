import { randomBytes } from 'node:crypto';
import { type Express, type NextFunction, type Request, type Response, Router } from 'express';
import type { HubPort } from '../hub/port.js';
import { hostCheck } from '../net/local-guards.js';
import { controlAccessGuard } from '../net/local-only.js';
import type { FrameLog } from '../ocpp/frames.js';
import { monitorApi } from './api.js';
import { errorAnswer, sendError } from './api-error.js';
import { LiveFeed } from './feed.js';
import { ocppApi } from './ocpp-api.js';
import { FrameFeed } from './ocpp-stream.js';
import { pageCsp, renderPage } from './page.js';
import type { StreamOptions } from './sse.js';

export const MONITOR_PATH = '/monitor';

export interface MonitorOptions extends Partial<StreamOptions> {
  /** How often stored CDRs' forward status is re-read while a stream is open; default 500 ms. */
  cdrPollMs?: number;
  /** Lets callers on other machines in with this token (bearer header, or the cookie `?token=` on the page sets). */
  controlToken?: string;
  /** The run's OCPP frames, for the page's OCPP tab and /monitor/api/ocpp; absent where no charge point runs. */
  ocppFrames?: FrameLog;
}

/**
 * Mounts the process monitor at /monitor (page) and /monitor/api (JSON, CSV, SSE), for loopback callers only and only
 * under this machine's names (a DNS-rebound name could otherwise read every recorded message from a browser), or
 * for callers anywhere with the control token: the page opened once as /monitor?token=… sets an HttpOnly cookie,
 * so its fetches and its EventSource (which cannot send headers) carry the token without the page script knowing. It
 * reads the recorder, the hub's state and the run's OCPP frames and writes none of them, so OICP behaviour is the
 * same with or without it.
 */
export function mountMonitor(
  app: Express,
  hub: HubPort,
  options: MonitorOptions = {},
): { feed: LiveFeed; ocppFeed: FrameFeed | undefined } {
  const feed = new LiveFeed(hub, { cdrPollMs: options.cdrPollMs });
  const ocppFeed = options.ocppFrames ? new FrameFeed(options.ocppFrames) : undefined;
  const stream: StreamOptions = {
    heartbeatMs: options.heartbeatMs ?? 15_000,
    retryMs: options.retryMs ?? 2_000,
    maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
  };
  const router = Router();
  router.use(
    '/api/ocpp',
    ocppApi(ocppFeed, stream, () => hub.clock.now()),
  );
  router.use('/api', monitorApi(hub, feed, stream));
  router.get('/', (_req, res) => {
    const nonce = randomBytes(16).toString('base64');
    res
      .status(200)
      .set({
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': pageCsp(nonce),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      })
      .send(renderPage(nonce));
  });
  // Everything under /monitor ends here, so a mistyped monitor URL never reaches (and pollutes) the OICP recording.
  router.use((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('allow', 'GET');
      return sendError(res, {
        code: 'METHOD_NOT_ALLOWED',
        message: `the monitor is read-only: ${req.method} is not allowed, use GET`,
      });
    }
    sendError(res, {
      code: 'NOT_FOUND',
      message: `no monitor route ${req.originalUrl.split('?')[0]}; the page is ${MONITOR_PATH}, the API routes are listed in README.md "Process monitor"`,
    });
  });
  router.use((e: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(e);
    const error = errorAnswer(e);
    if (error.code === 'INTERNAL') hub.logger.error({ err: e }, 'monitor route failed');
    sendError(res, error);
  });
  app.use(
    MONITOR_PATH,
    controlAccessGuard({ token: options.controlToken, monitor: true }),
    hostCheck(hub.settings.host),
    router,
  );
  return { feed, ocppFeed };
}
