import type { Report } from '../model.js';

/** report.json: the model itself, two-space indented, one trailing newline. Key order is the builder's. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
