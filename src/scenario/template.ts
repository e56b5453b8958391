import { SimError } from '../shared/errors.js';

/**
 * Fills `{{name}}` placeholders in a scenario value from the run's variables: captures of earlier steps and the
 * partner profile (`partner.evseIds[0]`). A string that is exactly one placeholder takes the variable's own type
 * (a captured number stays a number); inside longer text it is written as text. A missing variable is an error the
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
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillAny(v, variables)]));
  return value;
}

/** `partner.evseIds[0]` → variables.partner.evseIds[0]; dots and [n] indexes. */
function lookup(name: string, variables: Variables): unknown {
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
  return parts[0] === 'partner' ? `the partner profile has no ${parts.slice(1).join('.')}; add it under testData` : `nothing captured ${missing}`;
}
