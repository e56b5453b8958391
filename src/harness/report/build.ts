/**
 * Assembles a Report from what the scenario engine knows: the items it ran (steps with checks), the exchanges the
 * hub recorded, and the run's settings. Outcomes, totals, the verdict and the quality figures are derived here, so
 * the engine cannot report a pass its checks do not support. Never throws on inconsistent input: the item concerned
 * becomes an `error` (the harness could not vouch for it) and the report is still written.
 */
import { isDeepStrictEqual } from 'node:util';
import type { OcppFrame } from '../../ocpp/frames.js';
import type { Exchange } from '../../shared/exchange.js';
import { summarize, worstOf } from './aggregate.js';
import {
  type Check,
  type ChecklistItem,
  type Outcome,
  type PartnerUnderTest,
  REPORT_VERSION,
  type Reason,
  type Report,
  type RunSettings,
  type RunSettingsInput,
  type Section,
  type Step,
  type Warning,
} from './model.js';
import { computeQuality } from './quality.js';
import { redactExchange, redactUrl } from './redact.js';
import { timeScaleStatement } from './time-scale.js';

export type CheckInput = Check;

export interface StepInput {
  title: string;
  checks?: CheckInput[];
  /** Exchanges of the step that no check names (a request sent, an answer awaited). */
  exchangeIds?: string[];
  durationMs?: number;
  /** Set `error` when the harness failed mid-step, `skipped` when it did not run; else derived from the checks. */
  outcome?: Outcome;
  reason?: Reason;
}

export interface ItemInput {
  /** Checklist item ID, e.g. `CPO-07`. */
  id: string;
  title: string;
  section: Section;
  mandatory: boolean;
  specRef?: string;
  startedAt?: string;
  /** Defaults to the sum of the steps. */
  durationMs?: number;
  steps?: StepInput[];
  /** The item did not run, and why (e.g. a prerequisite failed). */
  skipped?: Reason;
  /** The harness could not check the item (TLS, connection, its own bug). */
  error?: Reason;
  /** Exchanges recorded while the item ran that no step names: evidence kept whatever the outcome. */
  exchangeIds?: string[];
  /** SHOULDs the partner did not follow (see model.ts Warning); they never change the outcome. */
  warnings?: Warning[];
  /** OCPP frames (their seq) sent or received while the item ran. */
  ocppFrameSeqs?: number[];
}

export interface ReportInput {
  tool: { name: string; version: string };
  run: { id: string; startedAt: string; finishedAt: string };
  partner: PartnerUnderTest;
  settings: RunSettingsInput;
  items: readonly ItemInput[];
  /** Every exchange recorded during the run; the report keeps those an item refers to. */
  exchanges: readonly Exchange[];
  /** Every OCPP frame of the run's charge points, when the profile has some. */
  ocppFrames?: readonly OcppFrame[];
}

/** A check whose outcome is whether `actual` deep-equals `expected`. */
export function expectEqual(check: Omit<CheckInput, 'outcome'>): CheckInput {
  return { ...check, outcome: isDeepStrictEqual(check.expected, check.actual) ? 'passed' : 'failed' };
}

const unique = <T>(ids: Iterable<T>): T[] => [...new Set(ids)];
const dropUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function buildStep(input: StepInput, index: number): Step {
  const checks = input.checks ?? [];
  const outcomes = checks.map((c) => c.outcome);
  if (input.outcome !== undefined) outcomes.push(input.outcome);
  return {
    index,
    title: input.title,
    outcome: worstOf(outcomes),
    durationMs: Math.max(0, input.durationMs ?? 0),
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    checks,
    exchangeIds: unique([
      ...(input.exchangeIds ?? []),
      ...checks.flatMap((c) => (c.exchangeId === undefined ? [] : [c.exchangeId])),
    ]),
  };
}

/** Why the item cannot be trusted as the engine described it, if it cannot. */
function inconsistency(steps: readonly Step[], outcome: Outcome, known: ReadonlySet<string>): Reason | undefined {
  const dangling = steps.flatMap((s) => s.exchangeIds).find((id) => !known.has(id));
  if (dangling !== undefined) {
    return {
      code: 'UNKNOWN_EXCHANGE',
      message: `refers to exchange ${dangling}, which the run did not record (a harness bug; please report it)`,
    };
  }
  // A pass needs evidence: an item whose steps all "passed" without a single check would be a silent false pass.
  if (outcome === 'passed' && steps.every((s) => s.checks.length === 0)) {
    return { code: 'NO_CHECKS', message: 'ran no check, so nothing was verified (a harness bug; please report it)' };
  }
  return undefined;
}

function buildItem(input: ItemInput, known: ReadonlySet<string>, duplicate: boolean): ChecklistItem {
  const steps = (input.steps ?? []).map(buildStep);
  const firstReason = steps.find((s) => s.outcome !== 'passed' && s.reason !== undefined)?.reason;
  let outcome: Outcome = worstOf(steps.map((s) => s.outcome));
  let reason: Reason | undefined = outcome === 'passed' || outcome === 'failed' ? undefined : firstReason;
  const problem: Reason | undefined = duplicate
    ? { code: 'DUPLICATE_ITEM', message: `checklist item ${input.id} was reported twice (a harness bug)` }
    : (input.error ?? (input.skipped ? undefined : inconsistency(steps, outcome, known)));
  if (problem) [outcome, reason] = ['error', problem];
  else if (input.skipped) [outcome, reason] = ['skipped', input.skipped];
  return {
    id: input.id,
    title: input.title,
    section: input.section,
    mandatory: input.mandatory,
    outcome,
    ...(reason === undefined ? {} : { reason }),
    ...(input.specRef === undefined ? {} : { specRef: input.specRef }),
    ...(input.startedAt === undefined ? {} : { startedAt: input.startedAt }),
    durationMs: Math.max(0, input.durationMs ?? steps.reduce((sum, s) => sum + s.durationMs, 0)),
    steps,
    ...(input.warnings?.length
      ? {
          warnings: input.warnings
            .map((w) => (w.exchangeId === undefined || known.has(w.exchangeId) ? w : { ...w, exchangeId: undefined }))
            .map(dropUndefined),
        }
      : {}),
    exchangeIds: unique([
      ...steps.flatMap((s) => s.exchangeIds),
      ...(input.exchangeIds ?? []).filter((id) => known.has(id)),
      ...(input.warnings ?? []).flatMap((w) =>
        w.exchangeId !== undefined && known.has(w.exchangeId) ? [w.exchangeId] : [],
      ),
    ]),
    ...(input.ocppFrameSeqs?.length ? { ocppFrameSeqs: unique(input.ocppFrameSeqs) } : {}),
  };
}

/**
 * One item as the report will show it (outcome, reason, steps), without building the whole report: what a
 * progress reporter needs as each item finishes. `known` holds the IDs of the exchanges recorded so far.
 */
export function checklistItem(input: ItemInput, known: ReadonlySet<string>): ChecklistItem {
  return buildItem(input, known, false);
}

/** The report of one run. @see reports/README.md */
export function buildReport(input: ReportInput): Report {
  const known = new Set(input.exchanges.map((e) => e.id));
  const seen = new Set<string>();
  // A frame the run's bounded frame log no longer held is not referred to.
  const frames = new Set((input.ocppFrames ?? []).map((f) => f.seq));
  const items = input.items.map((item) => {
    const duplicate = seen.has(item.id);
    seen.add(item.id);
    const kept = item.ocppFrameSeqs?.filter((seq) => frames.has(seq));
    return buildItem({ ...item, ocppFrameSeqs: kept }, known, duplicate);
  });
  const used = new Set(items.flatMap((i) => i.exchangeIds));
  const exchanges = input.exchanges.filter((e) => used.has(e.id)).map(redactExchange);
  const partner: PartnerUnderTest = {
    ...input.partner,
    endpoints: input.partner.endpoints.map((e) => ({ name: e.name, url: redactUrl(e.url) })),
  };
  // What the scale means sits next to it, ahead of the other settings, for a reader of report.json.
  const scale = timeScaleStatement(input.settings.timeScale);
  const { timeouts, transport, aupEnabled, hubUrl } = input.settings;
  const settings: RunSettings = {
    timeScale: scale.timeScale,
    representative: scale.representative,
    timeScaleNote: scale.note,
    timeouts,
    transport,
    aupEnabled,
    ...(hubUrl === undefined ? {} : { hubUrl: redactUrl(hubUrl) }),
  };
  const { startedAt, finishedAt } = input.run;
  const durationMs = Date.parse(finishedAt) - Date.parse(startedAt);
  return {
    reportVersion: REPORT_VERSION,
    tool: { name: input.tool.name, version: input.tool.version },
    run: {
      id: input.run.id,
      startedAt,
      finishedAt,
      durationMs: Number.isFinite(durationMs) ? Math.max(0, durationMs) : 0,
    },
    partner,
    settings,
    summary: summarize(items),
    quality: computeQuality(exchanges, settings, partner),
    items,
    exchanges,
    ...(input.ocppFrames?.length ? { ocppFrames: input.ocppFrames.map((f) => ({ ...f })) } : {}),
  };
}
