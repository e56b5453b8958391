import type { Check } from '../report/model.js';

/** A rule's verdict on one point: passed or failed, with what was expected and what was seen. */
export function check(
  id: string,
  title: string,
  ok: boolean,
  expected: unknown,
  actual: unknown,
  extra: Partial<Check> = {},
): Check {
  return { id, title, outcome: ok ? 'passed' : 'failed', expected, actual, ...extra };
}
