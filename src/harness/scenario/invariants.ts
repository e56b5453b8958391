import type { Exchange } from '../../shared/exchange.js';
import { valueAt as at } from '../../shared/json-pointer.js';
import type { Check } from '../report/model.js';
import { limitText } from './limits.js';
import { authorizeFollowsHbs, remoteStartReachesChargePoint, remoteStartSettleMs } from './ocpp-calls.js';
import { cdrMatchesChargePoint, type OcppRuleContext, statusFollowsChargePoint, statusSettleMs } from './ocpp-rules.js';
import { check } from './verdict.js';

/**
 * Rules a field matcher cannot say: arithmetic inside one message (a CDR's energy and times), and properties of all
 * the partner's exchanges in an item (pushes one at a time, every page pulled, no 429). Scenarios name them — in
 * `expect.rules` for the step's exchange, in a `check` step for the item so far — and each yields report Checks
 * with the expected and the actual value. Limits are protocol time: `scale` turns them into real milliseconds.
 */

/** `scale` turns protocol milliseconds into real ones; `timeScale` is its factor, for the limits a check prints. */
export interface InvariantContext extends OcppRuleContext {
  /** The CalibrationLawDataAvailability of an EVSE as HBS holds it (from the CPO's EVSE data push), if known. */
  calibrationOf?: (evseId: string) => string | undefined;
}

interface ExchangeInvariant {
  scope: 'exchange';
  /** Compares with the charge points over OCPP: only in items marked `ocpp: true`. */
  chargePoints?: boolean;
  title: string;
  evaluate: (x: Exchange, ctx: InvariantContext) => Check[];
}
interface ItemInvariant {
  scope: 'item';
  /** Compares with the charge points over OCPP: only in items marked `ocpp: true`. */
  chargePoints?: boolean;
  title: string;
  /** The partner's exchanges (both directions) since the item began, in recording order. */
  evaluate: (xs: readonly Exchange[], ctx: InvariantContext) => Check[];
  /**
   * Real milliseconds from `nowMs` (wall clock) until the rule can be judged: the time the partner still has to
   * react to what the item did (absent: at once).
   */
  settleMs?: (xs: readonly Exchange[], ctx: InvariantContext, nowMs: number) => number;
  /** Each check judges one event (its id names it), settled once judged: later check steps skip it. */
  perEvent?: boolean;
}

/**
 * The CDR follows the session end by about 1 s and at most 10 s: OICP 2.3 CPO, 02 Services and Operations,
 * eRoamingChargeDetailRecord best practices, repeated in Hubject's CDR support-center article.
 */
export const CDR_DEADLINE_MS = 10_000;
/** Meter values are kWh with three decimals (OICP CDR); a difference below this is rounding. */
const KWH_TOLERANCE = 0.0015;
/** Timestamps are written to the millisecond by one clock; a second of slack covers rounding and serialisation. */
const DURATION_TOLERANCE_MS = 1000;
/** Real milliseconds a retry may come before Retry-After is over: its whole-second rounding and the loopback. */
const RETRY_AFTER_TOLERANCE_MS = 100;

const time = (v: unknown): number | undefined =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : undefined;

export const INVARIANTS = {
  'cdr-consistent': {
    scope: 'exchange',
    title: 'CDR energy and times agree with each other',
    evaluate: (x) => {
      const cdr = x.request.body;
      const base = { exchangeId: x.id, side: 'request' as const };
      const checks: Check[] = [];
      const start = at(cdr, '/MeterValueStart');
      const end = at(cdr, '/MeterValueEnd');
      const energy = at(cdr, '/ConsumedEnergy');
      if (typeof start === 'number' && typeof end === 'number') {
        const ok = typeof energy === 'number' && Math.abs(end - start - energy) <= KWH_TOLERANCE;
        checks.push(
          check(
            'rule:cdr-energy',
            'ConsumedEnergy = MeterValueEnd − MeterValueStart',
            ok,
            Number((end - start).toFixed(3)),
            energy ?? null,
            { ...base, pointer: '/ConsumedEnergy' },
          ),
        );
      }
      const order = ['SessionStart', 'ChargingStart', 'ChargingEnd', 'SessionEnd'] as const;
      const times = order.map((k) => [k, time(at(cdr, `/${k}`))] as const).filter(([, t]) => t !== undefined) as Array<
        readonly [string, number]
      >;
      const broken = times.findIndex(([, t], i) => i > 0 && t < times[i - 1]![1]);
      checks.push(
        check(
          'rule:cdr-times',
          'SessionStart ≤ ChargingStart ≤ ChargingEnd ≤ SessionEnd',
          broken < 0,
          order.join(' ≤ '),
          broken < 0
            ? 'in order'
            : `${times[broken]![0]} ${String(at(cdr, `/${times[broken]![0]}`))} is before ${times[broken - 1]![0]} ${String(at(cdr, `/${times[broken - 1]![0]}`))}`,
          { ...base, ...(broken < 0 ? {} : { pointer: `/${times[broken]![0]}` }) },
        ),
      );
      return checks;
    },
  },
  'cdr-on-time': {
    scope: 'exchange',
    title: 'CDR sent within 10 s of the session end',
    evaluate: (x, ctx) => {
      const end = time(at(x.request.body, '/SessionEnd'));
      const limit = ctx.deadline(CDR_DEADLINE_MS);
      const shown = limitText(CDR_DEADLINE_MS, ctx);
      const late = end === undefined ? undefined : Date.parse(x.startedAt) - end;
      const ok = late !== undefined && late <= limit;
      return [
        check(
          'rule:cdr-on-time',
          `CDR arrived within ${shown} of SessionEnd`,
          ok,
          `≤ ${shown} after SessionEnd`,
          late === undefined ? 'no SessionEnd' : `${late} ms after SessionEnd`,
          { exchangeId: x.id, side: 'request', ...(ok ? {} : { pointer: '/SessionEnd' }) },
        ),
      ];
    },
  },
  'charging-duration': {
    scope: 'exchange',
    title: 'ChargingDuration = EventOccurred − ChargingStart',
    evaluate: (x) => {
      const n = x.request.body;
      const duration = at(n, '/ChargingDuration');
      const start = time(at(n, '/ChargingStart'));
      const occurred = time(at(n, '/EventOccurred'));
      if (duration === undefined && at(n, '/Type') === 'Start') return [];
      const expected = start !== undefined && occurred !== undefined ? occurred - start : undefined;
      const ok =
        typeof duration === 'number' &&
        expected !== undefined &&
        Math.abs(duration - expected) <= DURATION_TOLERANCE_MS;
      return [
        check(
          'rule:charging-duration',
          'ChargingDuration (ms) = EventOccurred − ChargingStart',
          ok,
          expected ?? 'ChargingStart and EventOccurred present',
          duration ?? null,
          { exchangeId: x.id, side: 'request', pointer: '/ChargingDuration' },
        ),
      ];
    },
  },
  'cdr-signed-metering': {
    scope: 'exchange',
    title: 'SignedMeteringValues for an EVSE with External calibration',
    evaluate: (x, ctx) => {
      // OICP 2.3 CPO, 03 Data Types: MUST when the EVSE's CalibrationLawDataAvailability is External, ordered Start,
      // Progress…, End.
      const evseId = at(x.request.body, '/EvseID');
      const calibration = typeof evseId === 'string' ? ctx.calibrationOf?.(evseId) : undefined;
      const where = { exchangeId: x.id, side: 'request' as const, pointer: '/SignedMeteringValues' };
      const title = "SignedMeteringValues Start, Progress…, End when the EVSE's calibration is External";
      if (calibration !== 'External') {
        return [
          check(
            'rule:cdr-signed-metering',
            title,
            true,
            'required only for External',
            calibration === undefined
              ? `HBS holds no CalibrationLawDataAvailability for ${String(evseId)}: not required`
              : `${String(evseId)} is ${calibration}: not required`,
            where,
          ),
        ];
      }
      const values = at(x.request.body, '/SignedMeteringValues');
      const list = Array.isArray(values)
        ? (values as Array<{ SignedMeteringValue?: unknown; MeteringStatus?: unknown }>)
        : [];
      const statuses = list.map((v) => String(v.MeteringStatus ?? '?'));
      const ordered =
        list.length >= 2 &&
        statuses[0] === 'Start' &&
        statuses.at(-1) === 'End' &&
        statuses.slice(1, -1).every((s) => s === 'Progress');
      const signed = list.every(
        (v) => typeof v.SignedMeteringValue === 'string' && v.SignedMeteringValue.trim() !== '',
      );
      const actual =
        list.length === 0
          ? 'none'
          : !signed
            ? `an entry without its SignedMeteringValue (${statuses.join(', ')})`
            : statuses.join(', ');
      return [
        check(
          'rule:cdr-signed-metering',
          title,
          ordered && signed,
          `${String(evseId)} is External: Start, Progress…, End, each signed`,
          actual,
          where,
        ),
      ];
    },
  },
  'pushes-sequential': {
    scope: 'item',
    title: 'Pushes sent one at a time',
    evaluate: (xs) => {
      const pushes = xs.filter((x) => x.direction === 'partner→hub' && x.operation.startsWith('Push'));
      const parallel = pushes.filter((x) => x.violations.some((v) => v.rule === 'pushes-sequential'));
      return [
        check(
          'rule:pushes-sequential',
          'no push sent while an earlier one of the same operation was unanswered (OICP 2.3 CPO, 01 Communication Paradigms, Data push operations)',
          pushes.length > 0 && parallel.length === 0,
          'sequential pushes',
          pushes.length === 0
            ? 'no push in this item'
            : parallel.length === 0
              ? `${pushes.length} pushes, one at a time`
              : `${parallel.length} of ${pushes.length} pushes overlapped an earlier one`,
          parallel[0] ? { exchangeId: parallel[0].id } : {},
        ),
      ];
    },
  },
  'session-order': {
    scope: 'item',
    title: "A session's messages in order",
    evaluate: (xs) => {
      // Per SessionID, the order HBS received them in: Start, Progress…, End, then the CDR (OICP notifications; CDR
      // after the session ends, OICP 2.3 CPO 02 CDR best practices). A message type missing is not this rule's
      // business; a later one first is.
      const rank = (x: Exchange): number | undefined => {
        if (x.operation === 'ChargeDetailRecord') return 3;
        if (x.operation !== 'ChargingNotification') return undefined;
        return { Start: 0, Progress: 1, End: 2 }[String(at(x.request.body, '/Type'))];
      };
      const own = xs.filter(
        (x) =>
          x.direction === 'partner→hub' &&
          rank(x) !== undefined &&
          typeof at(x.request.body, '/SessionID') === 'string',
      );
      const names = ['Start', 'Progress', 'End', 'CDR'];
      const highest = new Map<string, { rank: number; x: Exchange }>();
      let broken: { x: Exchange; after: Exchange; sid: string } | undefined;
      for (const x of own) {
        const sid = String(at(x.request.body, '/SessionID')).toLowerCase();
        const r = rank(x)!;
        const seen = highest.get(sid);
        if (seen && r < seen.rank && !broken) broken = { x, after: seen.x, sid };
        if (!seen || r > seen.rank) highest.set(sid, { rank: r, x });
      }
      const what = (x: Exchange): string => names[rank(x)!]!;
      return [
        check(
          'rule:session-order',
          'Start, Progress, End, then the CDR, per SessionID',
          own.length > 0 && !broken,
          'Start → Progress → End → CDR',
          own.length === 0
            ? 'no notification or CDR in this item'
            : broken
              ? `${what(broken.x)} of ${broken.sid} arrived after its ${what(broken.after)}`
              : `${highest.size} session${highest.size === 1 ? '' : 's'} in order`,
          broken ? { exchangeId: broken.x.id } : {},
        ),
      ];
    },
  },
  'within-aup': {
    scope: 'item',
    title: 'Calls within the Acceptable Use Policy',
    evaluate: (xs) => {
      const own = xs.filter((x) => x.direction === 'partner→hub');
      const limited = own.filter((x) => x.response?.status === 429);
      return [
        check(
          'rule:within-aup',
          'no call answered 429 Too Many Requests (Hubject Acceptable Use Policy)',
          own.length > 0 && limited.length === 0,
          'no 429',
          own.length === 0
            ? 'the partner made no call'
            : limited.length === 0
              ? `${own.length} calls, none refused`
              : `${limited.length} of ${own.length} calls answered 429 (${[...new Set(limited.map((x) => x.operation))].join(', ')})`,
          limited[0] ? { exchangeId: limited[0].id } : {},
        ),
      ];
    },
  },
  'backoff-after-429': {
    scope: 'item',
    title: 'No call again before Retry-After',
    evaluate: (xs) => {
      // Hubject Acceptable Use Policy v1.0: a refused partner retries after Retry-After, with backoff. The header is
      // whole seconds of real time, so it is compared with the recorded wall-clock times (less a little for rounding
      // and loopback).
      const own = xs.filter((x) => x.direction === 'partner→hub');
      const refused = own.filter(
        (x) => x.response?.status === 429 && /^\d+$/.test(x.response.headers['retry-after'] ?? ''),
      );
      if (refused.length === 0)
        return [
          check(
            'rule:backoff-after-429',
            'a call answered 429 with Retry-After',
            false,
            'at least one',
            'none in this item',
          ),
        ];
      const early = refused.flatMap((x) => {
        const answeredAt = Date.parse(x.startedAt) + x.durationMs;
        const waitMs = Number(x.response!.headers['retry-after']) * 1000;
        const next = own.find((y) => y.operation === x.operation && Date.parse(y.startedAt) > Date.parse(x.startedAt));
        const after = next ? Date.parse(next.startedAt) - answeredAt : undefined;
        return next && after! < waitMs - RETRY_AFTER_TOLERANCE_MS ? [{ x, next, after: after!, waitMs }] : [];
      });
      const first = early[0];
      return [
        check(
          'rule:backoff-after-429',
          'after a 429, the same operation again only once Retry-After has passed (Hubject Acceptable Use Policy)',
          !first,
          first ? `≥ ${first.waitMs} ms after the 429` : 'Retry-After respected',
          first
            ? `${first.next.operation} again ${Math.max(0, Math.round(first.after))} ms after the 429`
            : `${refused.length} refusal${refused.length === 1 ? '' : 's'}, each waited out`,
          first ? { exchangeId: first.next.id } : { exchangeId: refused[0]!.id },
        ),
      ];
    },
  },
  'all-pages-pulled': {
    scope: 'item',
    title: 'Every page of a paged answer pulled',
    evaluate: (xs) => {
      const paged = xs.filter(
        (x) => x.direction === 'partner→hub' && typeof at(x.response?.body, '/totalPages') === 'number',
      );
      const byOperation = new Map<string, Exchange[]>();
      for (const x of paged) byOperation.set(x.operation, [...(byOperation.get(x.operation) ?? []), x]);
      if (byOperation.size === 0)
        return [
          check(
            'rule:all-pages',
            'a paged answer was pulled',
            false,
            'PullEvseData or GetChargeDetailRecords',
            'none in this item',
          ),
        ];
      return [...byOperation].map(([operation, list]) => {
        const total = Math.max(...list.map((x) => at(x.response!.body, '/totalPages') as number));
        const oversized = list.find((x) => x.violations.some((v) => v.rule === 'page-size'));
        if (total <= 1 && oversized) {
          // HBS serves at most 2000 a page (OICP 2.3 EMP OpenAPI, eRoamingGetChargeDetailRecords_V2.2): a partner
          // asking for more is not paging as OICP pages, whatever fitted one page.
          const said = oversized.violations.find((v) => v.rule === 'page-size')!.message;
          return check(
            `rule:all-pages:${operation}`,
            `${operation}: pages 0 … totalPages − 1 pulled, at most 2000 a page`,
            false,
            'a page size of at most 2000',
            said,
            { exchangeId: oversized.id },
          );
        }
        if (total <= 1) {
          // One page holds everything at the size the partner asked for: reading one page and reading all are the
          // same here, so paging was not shown either way. Not a failure of the partner, and no pass. With a seed
          // step (more than 2000 records held) this cannot happen at any allowed size.
          const last = list.at(-1)!;
          const size = last.request.url ? new URL(last.request.url, 'https://hub').searchParams.get('size') : null;
          const held = at(last.response!.body, '/totalElements');
          return check(
            `rule:all-pages:${operation}`,
            `${operation}: pages 0 … totalPages − 1 pulled`,
            false,
            'an answer of more than one page',
            `one page: ${String(held)} records at size ${size ?? 'default (20)'}`,
            {
              outcome: 'error',
              exchangeId: last.id,
              message: `paging could not be checked: HBS held ${String(held)} records and the partner asked for ${size ? `${size} a page` : 'the default page size'}, so one page held them all; have HBS hold more than 2000 (a seed step before the pull) or make the test API pull with the size the trigger gives, then run again`,
            },
          );
        }
        // More than one page: a partner that read one of them (a test API pulling 2000 a page, whatever it was
        // asked, then stopping at page 0) has not consumed the answer. The seed step of EMP-01 and EMP-13 has HBS
        // hold more than 2000 records, so this holds at any page size the partner may choose.
        const got = new Set(list.map((x) => at(x.response!.body, '/number')));
        const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !got.has(i));
        return check(
          `rule:all-pages:${operation}`,
          `${operation}: pages 0 … totalPages − 1 pulled (a paged answer is consumed page by page until the last: OICP 2.3 EMP 02, ${operation === 'GetChargeDetailRecords' ? 'eRoamingGetChargeDetailRecords' : 'eRoamingPullEvseData'}, page and size)`,
          missing.length === 0,
          `${total} page${total === 1 ? '' : 's'}`,
          missing.length === 0
            ? `all ${total}`
            : `missing page${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${total}`,
          { exchangeId: list.at(-1)!.id },
        );
      });
    },
  },
  'cdr-matches-charge-point': {
    chargePoints: true,
    scope: 'exchange',
    title: "CDR meter and times agree with the charge point's transaction (OCPP)",
    evaluate: cdrMatchesChargePoint,
  },
  'status-follows-charge-point': {
    chargePoints: true,
    scope: 'item',
    perEvent: true,
    title: 'EVSE status pushes follow the StatusNotifications (OCPP)',
    evaluate: statusFollowsChargePoint,
    settleMs: (_xs, ctx, nowMs) => statusSettleMs(ctx, nowMs),
  },
  'remote-start-reaches-charge-point': {
    chargePoints: true,
    scope: 'item',
    perEvent: true,
    title: "remote starts reach the EVSE's charge point and the answers agree (OCPP)",
    evaluate: remoteStartReachesChargePoint,
    settleMs: remoteStartSettleMs,
  },
  'authorize-follows-hbs': {
    chargePoints: true,
    scope: 'item',
    perEvent: true,
    title: "the charge point's Authorize answers follow HBS's (OCPP)",
    evaluate: authorizeFollowsHbs,
  },
} satisfies Record<string, ExchangeInvariant | ItemInvariant>;

export type InvariantName = keyof typeof INVARIANTS;
export const EXCHANGE_INVARIANTS = (Object.keys(INVARIANTS) as InvariantName[]).filter(
  (k) => INVARIANTS[k].scope === 'exchange',
);
export const ITEM_INVARIANTS = (Object.keys(INVARIANTS) as InvariantName[]).filter(
  (k) => INVARIANTS[k].scope === 'item',
);

export function checkExchange(name: string, x: Exchange, ctx: InvariantContext): Check[] {
  const inv = INVARIANTS[name as InvariantName];
  return inv?.scope === 'exchange' ? (inv.evaluate as ExchangeInvariant['evaluate'])(x, ctx) : [];
}

/** Whether rule `name` compares the CPO with its charge points (an item using it needs `ocpp: true`). */
export function needsChargePoints(name: string): boolean {
  return (INVARIANTS[name as InvariantName] as { chargePoints?: boolean } | undefined)?.chargePoints === true;
}

/**
 * Whether per-event rule `name` has an event an earlier check step of the item did not judge (a rule on the item as a
 * whole always has something to judge).
 */
export function hasNewEvent(name: string, xs: readonly Exchange[], ctx: InvariantContext, judged: ReadonlySet<string>) {
  const inv = INVARIANTS[name as InvariantName] as ExchangeInvariant | ItemInvariant | undefined;
  if (inv?.scope !== 'item' || !inv.perEvent) return true;
  return inv.evaluate(xs, ctx).some((c) => c.outcome !== 'error' && !judged.has(c.id));
}

/** Real milliseconds to wait before the item rules `names` can be judged (the longest any of them needs). */
export function settleItem(names: readonly string[], xs: readonly Exchange[], ctx: InvariantContext, nowMs: number) {
  return Math.max(
    0,
    ...names.map((name) => {
      const inv = INVARIANTS[name as InvariantName] as ExchangeInvariant | ItemInvariant | undefined;
      return inv?.scope === 'item' && inv.settleMs ? inv.settleMs(xs, ctx, nowMs) : 0;
    }),
  );
}

/**
 * The checks of item rule `name` on the exchanges so far. A rule judging each event on its own (`perEvent`) leaves
 * out the events in `judged` (check ids an earlier check step of the item gave) and adds the ones it judges now, so
 * a scenario can check after each action without repeating the verdicts on the ones before.
 */
export function checkItem(
  name: string,
  xs: readonly Exchange[],
  ctx: InvariantContext,
  judged = new Set<string>(),
): Check[] {
  const inv = INVARIANTS[name as InvariantName] as ExchangeInvariant | ItemInvariant | undefined;
  if (inv?.scope !== 'item') return [];
  const checks = inv.evaluate(xs, ctx);
  if (!inv.perEvent) return checks;
  const fresh = checks.filter((c) => !judged.has(c.id));
  // A check that could not judge (nothing there yet) is no event: it says so again until there is one.
  for (const c of fresh) if (c.outcome !== 'error') judged.add(c.id);
  if (fresh.length > 0 || checks.length === 0) return fresh;
  // Judged before, nothing since: a check step that silently passed would claim what it never saw.
  return [
    {
      id: `rule:${name}:nothing-new`,
      title: inv.title,
      outcome: 'error',
      expected: 'an event since the previous check step',
      actual: 'none',
      message: `nothing for ${name} to judge since the item's previous check step: the steps between made neither the charge points nor the partner act (see the frames and exchanges of this item)`,
    },
  ];
}
