import { isDeepStrictEqual } from 'node:util';
import { isOperationId } from '../../oicp/operations.js';
import { validateMessage } from '../../oicp/validate.js';
import type { Exchange } from '../../shared/exchange.js';
import { valueAt as at } from '../../shared/json-pointer.js';
import type { Check } from '../report/model.js';
import { limitText, REAL_TIME, type TimeScale } from './limits.js';
import type { ScenarioStep } from './schema.js';
import { fill, type Variables } from './template.js';

/**
 * A step's `expect`, evaluated on the exchange it names: each rule becomes one report Check with the expected and
 * the actual value, the exchange it read and the JSON pointer (so the HTML report highlights the field). Pure:
 * the engine picks the exchange, this module only judges it.
 */

type Expect = NonNullable<ScenarioStep['expect']>;
type Matcher = NonNullable<Expect['fields']>[string];

/** `response:/SessionID` → the value in that exchange. */
export function sideValue(exchange: Exchange, ref: string): unknown {
  const [side, pointer] = splitRef(ref);
  return at(side === 'request' ? exchange.request.body : exchange.response?.body, pointer);
}

/** How much of a body a verdict quotes: enough to recognise an error page or a stack trace's first line. */
const BODY_QUOTE_MAX = 200;

/**
 * The partner's answer in words when it is no OICP answer (an HTTP error, an HTML page, no StatusCode, no answer at
 * all), else undefined. A check of StatusCode.Code or of a field reports this as what the partner did: "got null"
 * would send its developer looking for a missing field when the backend threw.
 */
export function notOicpAnswer(exchange: Exchange): string | undefined {
  const r = exchange.response;
  if (!r) {
    const t = exchange.transportError;
    return t ? `no answer (${t.code}: ${t.message})` : 'no answer';
  }
  if (at(r.body, '/StatusCode/Code') !== undefined) return undefined;
  const text = typeof r.body === 'string' ? r.body.trim() : r.body === undefined ? '' : JSON.stringify(r.body);
  const quoted = text.length > BODY_QUOTE_MAX ? `${text.slice(0, BODY_QUOTE_MAX)}…` : text;
  return `HTTP ${r.status} (${quoted ? `body: ${quoted}` : 'empty body'})`;
}

function splitRef(ref: string): ['request' | 'response', string] {
  const i = ref.indexOf(':');
  return [ref.slice(0, i) as 'request' | 'response', ref.slice(i + 1)];
}

/** `time` turns the scenario's protocol milliseconds (latencyMs) into real ones, as the run's time scale does. */
export function evaluate(
  expect: Expect,
  exchange: Exchange,
  defaultSide: 'request' | 'response',
  variables: Variables,
  time: TimeScale = REAL_TIME,
): Check[] {
  const side = expect.on ?? defaultSide;
  const body = side === 'request' ? exchange.request.body : exchange.response?.body;
  const base = { exchangeId: exchange.id, side };
  const checks: Check[] = [];
  // No answer because the partner could not be reached at all: nothing about its behaviour can be judged.
  const unreachable = exchange.transportError && ['connection', 'tls'].includes(exchange.transportError.code);
  if (unreachable) {
    return [
      {
        id: 'reachable',
        title: `${exchange.operation} reached the partner`,
        outcome: 'error',
        expected: 'an HTTP answer',
        actual: exchange.transportError!.message,
        message: `${exchange.request.url ?? 'the partner'} could not be reached (${exchange.transportError!.code}); start the backend or fix its URL or certificates in the partner profile, then run again`,
        exchangeId: exchange.id,
      },
    ];
  }
  const judge = (
    id: string,
    title: string,
    expected: unknown,
    actual: unknown,
    ok: boolean,
    extra: Partial<Check> = {},
  ): void => {
    checks.push({ id, title, outcome: ok ? 'passed' : 'failed', expected, actual, ...base, ...extra });
  };

  if (expect.status !== undefined) {
    const status = exchange.response?.status;
    judge(
      'status',
      'HTTP status',
      expect.status,
      status ?? exchange.transportError?.message ?? null,
      status === expect.status,
    );
  }
  if (expect.schema !== undefined) {
    const errors = isOperationId(exchange.operation)
      ? validateMessage(exchange.operation, side, body).filter((v) => v.severity === 'error')
      : [{ pointer: '', message: `not an OICP operation: ${exchange.operation}` }];
    const first = errors[0];
    // An HTTP error page is invalid at "/" for a reason the schema cannot name: the error is what the partner did.
    const status = exchange.response?.status;
    const failedHttp = side === 'response' && (status === undefined || status < 200 || status > 299);
    const httpError = failedHttp ? notOicpAnswer(exchange) : undefined;
    judge(
      'schema',
      `${side} valid against the OICP ${exchange.operation} schema`,
      expect.schema ? 'valid' : 'invalid',
      errors.length === 0 ? 'valid' : (httpError ?? `${first!.pointer || '/'}: ${first!.message}`),
      (errors.length === 0) === expect.schema,
      first ? { pointer: first.pointer } : {},
    );
  }
  if (expect.code !== undefined) {
    // Only answers carry a StatusCode: the code is the answer's, whichever body the other checks read.
    const actual = at(exchange.response?.body, '/StatusCode/Code');
    const shown = actual ?? notOicpAnswer(exchange) ?? null;
    judge('status-code', 'StatusCode.Code of the answer', expect.code, shown, actual === expect.code, {
      pointer: '/StatusCode/Code',
      side: 'response',
    });
  }
  for (const [pointer, matcher] of Object.entries(expect.fields ?? {})) {
    const actual = at(body, pointer);
    const { ok, expected, title } = matchField(matcher, actual, exchange, variables);
    // A field missing from an answer that is no OICP answer at all: the answer is what the partner must fix.
    const shown = actual ?? (side === 'response' ? notOicpAnswer(exchange) : undefined) ?? null;
    judge(`field:${pointer}`, `${pointer} ${title}`, expected, shown, ok, { pointer });
  }
  if (expect.latencyMs !== undefined) {
    const answered = exchange.response !== undefined;
    const limit = time.deadline(expect.latencyMs);
    const shown = limitText(expect.latencyMs, time);
    judge(
      'latency',
      `answered within ${shown}`,
      `≤ ${shown}`,
      answered ? `${Math.round(exchange.durationMs)} ms` : 'no answer',
      answered && exchange.durationMs <= limit,
    );
  }
  return checks;
}

/** Whether a request matches an await step's `match` (every field). */
export function matches(match: Record<string, Matcher>, exchange: Exchange, variables: Variables): boolean {
  return Object.entries(match).every(
    ([pointer, m]) => matchField(m, at(exchange.request.body, pointer), exchange, variables).ok,
  );
}

function matchField(
  matcher: Matcher,
  actual: unknown,
  exchange: Exchange,
  variables: Variables,
): { ok: boolean; expected: unknown; title: string } {
  if (matcher === null || typeof matcher !== 'object') {
    const expected = fill(matcher, variables);
    return { ok: isDeepStrictEqual(actual, expected), expected, title: 'equals' };
  }
  if ('equals' in matcher) {
    const expected = fill(matcher.equals, variables);
    return { ok: isDeepStrictEqual(actual, expected), expected, title: 'equals' };
  }
  if ('matches' in matcher)
    return {
      ok: typeof actual === 'string' && new RegExp(matcher.matches).test(actual),
      expected: `/${matcher.matches}/`,
      title: 'matches',
    };
  if ('exists' in matcher)
    return {
      ok: (actual !== undefined && actual !== null) === matcher.exists,
      expected: matcher.exists ? 'present' : 'absent',
      title: matcher.exists ? 'is present' : 'is absent',
    };
  if ('oneOf' in matcher) {
    const options = fill(matcher.oneOf, variables);
    return { ok: options.some((o) => isDeepStrictEqual(actual, o)), expected: options, title: 'is one of' };
  }
  const expected = sideValue(exchange, matcher.sameAs);
  return {
    ok: expected !== undefined && isDeepStrictEqual(actual, expected),
    expected: expected ?? null,
    title: `equals ${matcher.sameAs}`,
  };
}
