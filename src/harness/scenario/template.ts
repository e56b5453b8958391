import { SimError } from '../../shared/errors.js';

/**
 * Fills `{{name}}` placeholders in a scenario value from the run's variables: captures of earlier steps and the
 * partner profile (`partner.evseIds[0]`). A string that is exactly one placeholder takes the variable's own type
 * (a captured number stays a number); inside longer text it is written as text. `{{now}}` and `{{now - 1d}}` are
 * dates computed when the step runs. A missing variable is an error the
 * engine reports as the harness's (the loader already refuses names no step captures).
 */

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^}]*?)\s*\}\}$/;

export type Variables = Readonly<Record<string, unknown>>;

/** The names of the placeholders in a text, in order (`{{ a }} and {{b}}` → a, b). */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export function fill<T>(value: T, variables: Variables): T {
  return fillAny(value, variables) as T;
}

function fillAny(value: unknown, variables: Variables): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(whole[1]!, variables);
    return value.replace(PLACEHOLDER, (_m, name: string) => {
      const v = lookup(name, variables);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => fillAny(v, variables));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillAny(v, variables)]));
  return value;
}

/**
 * `now`, `now - 1d`, `now + 90m`: the wall-clock time as OICP writes it (ISO 8601 with `Z`), shifted by whole
 * seconds, minutes, hours or days. For filters such as GetChargeDetailRecords From/To or a delta pull's LastCall.
 */
const NOW = /^now(?:\s*([+-])\s*(\d+)\s*([smhd]))?$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Whether a placeholder name is a computed date rather than a variable (the loader accepts it uncaptured). */
export function isDatePlaceholder(name: string): boolean {
  return NOW.test(name);
}

function dateOf(m: RegExpExecArray, now: Date): string {
  const shift = m[1] ? (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3] as keyof typeof UNIT_MS] : 0;
  return new Date(now.getTime() + shift).toISOString();
}

/** `partner.evseIds[0]` → variables.partner.evseIds[0]; dots and [n] indexes; `now ± N[smhd]` → a date. */
function lookup(name: string, variables: Variables): unknown {
  const date = NOW.exec(name);
  if (date) return dateOf(date, variables.now instanceof Date ? variables.now : new Date());
  const parts = name.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '');
  let v: unknown = variables;
  for (const p of parts) {
    if (v === null || typeof v !== 'object' || !(p in (v as object))) {
      throw new SimError('SIM_ACTION', `{{${name}}} has no value in this run (${describe(parts, p)})`);
    }
    v = (v as Record<string, unknown>)[p];
  }
  if (v === undefined) throw new SimError('SIM_ACTION', `{{${name}}} has no value in this run`);
  return v;
}

function describe(parts: string[], missing: string): string {
  return parts[0] === 'partner'
    ? `the partner profile has no ${parts.slice(1).join('.')}; add it under testData`
    : `nothing captured ${missing}`;
}
