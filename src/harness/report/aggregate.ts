/**
 * How outcomes combine and what a CI pipeline gates on. Worst-of everywhere: a check's outcome rolls up into its
 * step, a step's into its item, items into the run. The verdict only looks at mandatory items.
 */

import { EXIT } from '../../shared/exit-codes.js';
import type { ChecklistItem, Counts, Outcome, Report, Summary, Verdict } from './model.js';

/** Worst first: "could not check" outranks "failed", because a run with errors is incomplete. */
const SEVERITY: Readonly<Record<Outcome, number>> = { error: 3, failed: 2, skipped: 1, passed: 0 };

/** The worst of `outcomes`; `passed` when there are none (nothing went wrong). */
export function worstOf(outcomes: Iterable<Outcome>): Outcome {
  let worst: Outcome = 'passed';
  for (const o of outcomes) if (SEVERITY[o] > SEVERITY[worst]) worst = o;
  return worst;
}

function count(items: readonly Pick<ChecklistItem, 'outcome'>[]): Counts {
  const c: Counts = { total: items.length, passed: 0, failed: 0, skipped: 0, error: 0 };
  for (const item of items) c[item.outcome] += 1;
  return c;
}

/**
 * The certification verdict from the items that apply to the partner: every mandatory item, and every optional one
 * that ran. Optional items run only for a service the partner's profile declares (`requires`), and a partner that
 * offers a service is certified on it, so its failure counts; a skipped optional item never does. A skipped
 * mandatory item is not a pass: the partner has not shown it conforms, so it counts as `failed` (it is usually
 * skipped because a prerequisite failed).
 */
export function verdictOf(items: readonly Pick<ChecklistItem, 'outcome' | 'mandatory'>[]): Verdict {
  const applying = items.filter((i) => i.mandatory || i.outcome !== 'skipped').map((i) => i.outcome);
  const worst = worstOf(applying);
  return worst === 'passed' ? 'passed' : worst === 'error' ? 'error' : 'failed';
}

/** Totals, worst outcome and verdict of a list of item results. */
export function summarize(items: readonly Pick<ChecklistItem, 'outcome' | 'mandatory'>[]): Summary {
  const counted = items.filter((i) => i.mandatory || i.outcome !== 'skipped');
  return {
    verdict: verdictOf(items),
    outcome: counted.length === 0 && items.length > 0 ? 'skipped' : worstOf(counted.map((i) => i.outcome)),
    counts: count(items),
    mandatory: count(items.filter((i) => i.mandatory)),
    optional: count(items.filter((i) => !i.mandatory)),
  };
}

/**
 * The exit codes a report can decide: 2 (bad input) is decided before a report exists, so it never comes from here.
 */
export const REPORT_EXIT = {
  OK: EXIT.OK,
  PARTNER_FAILED: EXIT.PARTNER_FAILED,
  HARNESS_ERROR: EXIT.HARNESS_ERROR,
} as const;
export type ReportExitCode = (typeof REPORT_EXIT)[keyof typeof REPORT_EXIT];

/** A reporter that threw while rendering or writing its file. */
export interface ReporterFailure {
  reporter: string;
  code: 'REPORTER_FAILED' | 'REPORT_WRITE_FAILED';
  message: string;
}

/**
 * 0 every item that applies passed; 1 one failed (or a mandatory one was skipped); 3 the harness could not check one,
 * or a reporter crashed (its file is missing, so the evidence is incomplete). 3 wins over 1. See verdictOf.
 */
export function exitCodeFor(
  report: Pick<Report, 'items'>,
  reporterFailures: readonly ReporterFailure[] = [],
): ReportExitCode {
  if (reporterFailures.length > 0) return REPORT_EXIT.HARNESS_ERROR;
  const verdict = verdictOf(report.items);
  if (verdict === 'error') return REPORT_EXIT.HARNESS_ERROR;
  return verdict === 'failed' ? REPORT_EXIT.PARTNER_FAILED : REPORT_EXIT.OK;
}
