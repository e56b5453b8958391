/**
 * Partner quality figures like those Hubject's quality scoring (QaaS) shows partners: remote-start response time,
 * CDR upload delay and EVSE data completeness, each against the limit the spec states. All are measured on the
 * partner's own behaviour in real time: a time scale shortens the harness's waits, not the partner's answers.
 * @see Hubject support article "Your Quality Score - Quality as a Service (QaaS)" (remote start, CDR upload, EVSE data)
 */
import type { PartnerUnderTest, QualityFigure, QualityRating, ReportExchange, RunSettings } from './model.js';
import { evseDataCompleteness } from './quality-evse.js';

/**
 * Limits not taken from the run's settings. Remote start's limit is the configured `timeouts.remoteStartMs`
 * (default 60 000, Hubject integration guide "09-eRoamingAuthorizeRemoteStart"; Hubject's EMP best-practice support
 * article "Implementation of web services" says 40 000).
 */
export const QUALITY_LIMITS = Object.freeze({
  /** OICP 2.3 CPO, 02 Services and Operations, eRoamingAuthorizeRemoteStart best practice: under 10 s; CPO-07. */
  remoteStartBestPracticeMs: 10_000,
  /**
   * OICP 2.3 CPO, 02 Services and Operations, eRoamingChargeDetailRecord best practices (also the CDR article of
   * Hubject's integration guide): at most 10 s after the session ends.
   */
  cdrUploadLimitMs: 10_000,
  /** Same source: send the CDR about 1 s after the session closes in the CPO backend. */
  cdrUploadBestPracticeMs: 1_000,
});

function rate(value: number, limit: number, bestPractice: number): QualityRating {
  return value <= bestPractice ? 'good' : value <= limit ? 'acceptable' : 'poor';
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? 0;
  return sorted.length % 2 === 1 ? at(mid) : Math.round((at(mid - 1) + at(mid)) / 2);
}

/** Worst and median of the samples, rated by the worst: one slow answer is what a driver waits for. */
function timeFigure(
  base: Omit<QualityFigure, 'rating' | 'samples' | 'value' | 'median'>,
  samples: number[],
  limit: number,
  bestPractice: number,
  failures: number,
): QualityFigure {
  if (samples.length === 0 && failures === 0) return { ...base, rating: 'notMeasured', samples: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const worst = sorted.at(-1);
  return {
    ...base,
    rating: failures > 0 ? 'poor' : rate(worst ?? 0, limit, bestPractice),
    ...(worst === undefined ? {} : { value: worst, median: median(sorted) }),
    samples: samples.length + failures,
  };
}

/** Answers the CPO under test gave to AuthorizeRemoteStart requests the hub forwarded to it. */
export function remoteStartResponseTime(exchanges: readonly ReportExchange[], settings: RunSettings): QualityFigure {
  const limit = settings.timeouts.remoteStartMs;
  const forwarded = exchanges.filter((e) => e.operation === 'AuthorizeRemoteStart' && e.direction === 'hub→partner');
  const unanswered = forwarded.filter((e) => e.transportError !== undefined).length;
  return timeFigure(
    {
      id: 'remoteStartResponseTime',
      title: 'Remote start response time',
      unit: 'ms',
      limit,
      bestPractice: QUALITY_LIMITS.remoteStartBestPracticeMs,
      source:
        `limit: the run's remote start timeout (${limit} ms; Hubject integration guide 60 s, ` +
        'Hubject support article "Implementation of web services" 40 s); ' +
        'best practice under 10 s: OICP 2.3 CPO, 02 Services and Operations, eRoamingAuthorizeRemoteStart',
      ...(unanswered > 0 ? { note: `${unanswered} forwarded remote start(s) got no answer (counted as poor).` } : {}),
    },
    forwarded.filter((e) => e.transportError === undefined).map((e) => e.durationMs),
    limit,
    QUALITY_LIMITS.remoteStartBestPracticeMs,
    unanswered,
  );
}

function sessionEndOf(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const end = (body as Record<string, unknown>).SessionEnd;
  const ms = typeof end === 'string' ? Date.parse(end) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** Time from the CDR's SessionEnd to its arrival at the hub. */
export function cdrUploadDelay(exchanges: readonly ReportExchange[]): QualityFigure {
  const { cdrUploadLimitMs: limit, cdrUploadBestPracticeMs: bestPractice } = QUALITY_LIMITS;
  const delays: number[] = [];
  for (const e of exchanges) {
    if (e.operation !== 'ChargeDetailRecord' || e.direction !== 'partner→hub') continue;
    const end = sessionEndOf(e.request.body);
    if (end !== undefined) delays.push(Date.parse(e.startedAt) - end);
  }
  const early = delays.filter((d) => d < 0).length;
  const figure = timeFigure(
    {
      id: 'cdrUploadDelay',
      title: 'CDR upload delay',
      unit: 'ms',
      limit,
      bestPractice,
      source:
        'OICP 2.3 CPO, 02 Services and Operations, eRoamingChargeDetailRecord best practices, and Hubject ' +
        'integration guide, CDR article: about 1 s after SessionEnd, at most 10 s',
      ...(early > 0
        ? { note: `${early} CDR(s) arrived before their SessionEnd: the spec wants them after it; check the clock.` }
        : {}),
    },
    delays.filter((d) => d >= 0),
    limit,
    bestPractice,
    early,
  );
  return figure;
}

const notMeasuredForEmp = (figure: QualityFigure): QualityFigure => {
  const { value: _value, median: _median, note: _note, ...rest } = figure;
  return {
    ...rest,
    rating: 'notMeasured',
    samples: 0,
    note: 'Hubject rates these figures for CPOs; an EMP under test is not measured.',
  };
};

/**
 * The run's quality figures, from the exchanges with the partner under test. For an EMP under test the figures
 * would measure the virtual CPO, so they are reported as not measured rather than flattering the EMP.
 */
export function computeQuality(
  exchanges: readonly ReportExchange[],
  settings: RunSettings,
  partner: Pick<PartnerUnderTest, 'id' | 'role'>,
): QualityFigure[] {
  const own = exchanges.filter((e) => e.partnerId === undefined || e.partnerId === partner.id);
  const figures = [remoteStartResponseTime(own, settings), cdrUploadDelay(own), evseDataCompleteness(own)];
  return partner.role === 'CPO' ? figures : figures.map(notMeasuredForEmp);
}
