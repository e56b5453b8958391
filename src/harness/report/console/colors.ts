import type { Outcome } from '../model.js';

/**
 * ANSI colours only where a person reads a terminal: the stream is a TTY and NO_COLOR (no-color.org) is unset.
 * CI logs and files get plain text.
 */
export interface Paint {
  outcome(outcome: Outcome, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const CODES: Readonly<Record<Outcome, number>> = { passed: 32, failed: 31, skipped: 90, error: 33 };

export function usesColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

export function paintFor(color: boolean): Paint {
  if (!color) return { outcome: (_o, t) => t, dim: (t) => t, bold: (t) => t };
  return { outcome: (o, t) => wrap(CODES[o], 39)(t), dim: wrap(2, 22), bold: wrap(1, 22) };
}
