/**
 * Small text helpers the renderers share: how a value, a duration and a check's expectation read to a person.
 * Pure and locale-independent, so every renderer prints the same bytes on every machine.
 */
import type { Check, ChecklistItem, Warning } from '../model.js';

/** A JSON value as one line: strings quoted, so `"000"` and `0` stay distinguishable. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text;
}

/** 1234 → "1.23 s", 87 → "87 ms"; fixed decimals so golden files stay stable. */
export function showDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Seconds with millisecond precision, as JUnit `time` attributes want them. */
export function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** The checks that decided an item's outcome: its failed and errored ones, in order. */
export function decisiveChecks(item: ChecklistItem): Check[] {
  return item.steps.flatMap((s) => s.checks).filter((c) => c.outcome === 'failed' || c.outcome === 'error');
}

/** One line naming what went wrong with a check: title, expected vs actual, message. */
export function describeCheck(check: Check): string {
  const parts = [check.title];
  if (check.expected !== undefined || check.actual !== undefined) {
    parts.push(`expected ${showValue(check.expected)}, got ${showValue(check.actual)}`);
  }
  if (check.message) parts.push(check.message);
  return parts.join(': ');
}

/** Why an item did not pass, in one line: its reason, else its first decisive check. */
export function itemHeadline(item: ChecklistItem): string {
  if (item.reason) return item.reason.message;
  const first = decisiveChecks(item)[0];
  return first ? describeCheck(first) : '';
}

/** A warning in one line: what the partner did, where the recommendation is written, the exchange it was seen on. */
export function describeWarning(w: Warning): string {
  const where = [w.specRef && `spec: ${w.specRef}`, w.exchangeId && `exchange ${w.exchangeId}`].filter(Boolean);
  return `${w.message}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}
