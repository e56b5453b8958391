import type { Exchange } from '../shared/exchange.js';
import type { MonitorRow } from './rows.js';

/** Column order of the CSV export; the README's "Process monitor" section lists the same. */
export const CSV_COLUMNS = [
  'seq',
  'id',
  'startedAt',
  'direction',
  'partnerId',
  'operation',
  'category',
  'httpStatus',
  'statusCode',
  'durationMs',
  'violations',
  'violationDetails',
  'sessionId',
  'causeId',
  'forwardStatus',
  'transportError',
  'url',
] as const;

/**
 * One CSV cell per RFC 4180 (quoted when it holds a quote, comma or line break; quotes doubled). A cell a
 * spreadsheet would read as a formula (leading = + - @, or a tab or carriage return that some strip first) gets a
 * leading apostrophe, as OWASP advises against CSV injection: recorded bodies come from partners, not from us.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export function csvHeader(): string {
  return csvLine(CSV_COLUMNS);
}

export function csvRow(row: MonitorRow, exchange: Exchange): string {
  const listed = exchange.violations.map((v) => `${v.side} ${v.kind} ${v.pointer || '/'}: ${v.message}`);
  const more = row.violations - exchange.violations.length;
  const details = [...listed, ...(more > 0 ? [`… and ${more} more not kept`] : [])].join(' | ');
  const cells: Record<(typeof CSV_COLUMNS)[number], unknown> = { ...row, violationDetails: details };
  return csvLine(CSV_COLUMNS.map((c) => cells[c]));
}
