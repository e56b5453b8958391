import { OPERATIONS, type OperationId } from '../../oicp/operations.js';
import { normalizePartnerId } from '../../oicp/patterns.js';
import type { FaultSpec } from '../../partners/kit/faults.js';
import { isSimError, messageOf } from '../../shared/errors.js';
import type { Exchange } from '../../shared/exchange.js';
import type { ItemInput, StepInput } from '../report/build.js';
import type { Check, Warning } from '../report/model.js';
import { runAction } from './actions.js';
import { whatArrived } from './arrived.js';
import { EVENT_WAIT_MS, judgeItemRules } from './check-step.js';
import { evaluate, matches, sideValue } from './checks.js';
import type { Blocker, EngineContext } from './context.js';
import { EngineError, TriggerFailed } from './engine-error.js';
import { INTERRUPTED_CODE, Interrupted, settleUnlessStopped, untilAborted } from './interrupt.js';
import { checkExchange, type InvariantContext } from './invariants.js';
import { limitText } from './limits.js';
import type { Scenario } from './load.js';
import { ocppView } from './ocpp-view.js';
import type { ScenarioStep } from './schema.js';
import { seedRecords } from './seed.js';
import { type FiredTrigger, sessionEnded, stationBaseline, teardown, usesEvse } from './teardown.js';
import { fill } from './template.js';
import { missingServices, missingTestData, missingTestDataMessage, partnerVariables } from './test-data.js';
import { fireTriggers, profileTrigger } from './triggers.js';
import { judgeViolations } from './violations.js';

export type { EngineContext } from './context.js';

/**
 * Runs scenarios against the partner under test: each step acts (a virtual actor, the hub itself, the partner's
 * trigger, a fault, a wait) or waits for the partner, then its `expect` is judged on the exchange the step
 * produced. Data flows one way: scenario → engine → exchanges (the hub's recorder) → checks → ItemInput for the
 * report. A step the harness cannot carry out is an `error`, a partner that misbehaves is `failed`; after either,
 * the item's remaining steps are skipped, and the item's teardown (teardown.ts) undoes what it started either way.
 * The run's signal (SIGINT, SIGTERM) ends the step under way at once: the item is an `error` "interrupted".
 */

type Variables = Record<string, unknown>;
/** A throttle step's Retry-After when it names none: long enough to tell a wait from an immediate retry. */
const DEFAULT_RETRY_AFTER_MS = 10_000;
interface StepOutcome {
  step: StepInput;
  stop: boolean;
  /** SHOULDs (or cans) the partner did not follow in this step: the item's warnings. */
  warnings?: Warning[];
}

export async function runScenario(s: Scenario, ctx: EngineContext): Promise<ItemInput> {
  const item = {
    id: s.id,
    title: s.title,
    section: s.section,
    mandatory: s.mandatory,
    specRef: s.spec,
    startedAt: ctx.clock.now().toISOString(),
  };
  const missing = missingServices(s, ctx.profile);
  if (missing.length > 0) {
    return {
      ...item,
      skipped: {
        code: 'SERVICE_NOT_IMPLEMENTED',
        message: `the partner profile has no ${missing.join(', ')} service type; add it under serviceTypes to run this item`,
      },
    };
  }
  if (s.ocpp && !ctx.profile.ocpp) {
    return {
      ...item,
      skipped: {
        code: 'OCPP_NOT_CONFIGURED',
        message:
          'compares the CPO with its charge points: give the partner profile an `ocpp:` block (README, "A CPO under test through OCPP") to run it',
      },
    };
  }
  const noData = missingTestData(s, ctx.profile);
  if (noData.length > 0) {
    // Optional items are skipped like a service the partner lacks; a mandatory one cannot be judged without it.
    const reason = { code: 'TEST_DATA_MISSING', message: missingTestDataMessage(s, ctx.profile) };
    return { ...item, ...(s.mandatory ? { error: reason } : { skipped: reason }) };
  }
  if (ctx.signal?.aborted) return { ...item, error: interruptedBefore() };
  // A prompt with nobody to answer it (CI) would pass the trigger and fail the await that follows: the item cannot
  // be run, which is not the partner's failure.
  const prompt = ctx.prompt
    ? undefined
    : s.steps.find((st) => st.trigger !== undefined && profileTrigger(ctx.profile, st.trigger)?.prompt !== undefined)
        ?.trigger;
  if (prompt)
    return {
      ...item,
      error: {
        code: 'NEEDS_PERSON',
        message: `needs a person: trigger ${prompt} is a prompt; give an http trigger in the partner profile or run in a terminal`,
      },
    };
  const blocker = blockerOf(s, ctx);
  if (blocker)
    return {
      ...item,
      skipped: {
        code: 'BLOCKED',
        message: `blocked by ${blocker.by}: ${blocker.why}; this item needs ${blocker.evseId}. Fix ${blocker.by} first (or list another EVSE under testData.evseIds)`,
      },
    };
  ctx.onProgress({ type: 'itemStarted', itemId: s.id, title: s.title, at: item.startedAt });
  const variables: Variables = partnerVariables(ctx.profile);
  const steps: StepInput[] = [];
  const warnings: Warning[] = [];
  const itemFrom = ctx.hub.recorder.recordedCount();
  const framesFrom = ctx.ocppFrames?.recordedCount() ?? 0;
  const baseline = stationBaseline(ctx);
  // An await looks back to the last step that acted: the partner's request may arrive while a trigger is still
  // being answered (a test API that returns once the partner's call to HBS is done).
  // Each await takes one request; a later await (or an `absent` check) never counts the same request again.
  // After a throttle step, awaits also allow the Retry-After it gave: that is real seconds, which a small time scale
  // would otherwise shrink the partner's time below.
  const cursor = {
    actedFrom: itemFrom,
    taken: new Set<string>(),
    judged: new Set<string>(),
    grace: { ms: 0 },
    fired: [] as FiredTrigger[],
  };
  let stopped: string | undefined;
  let interrupted = false;
  // The item's steps see one signal: the run's, or the item's deadline. The teardown keeps the run's alone.
  const deadline = new AbortController();
  const timer = ctx.itemDeadlineMs === undefined ? undefined : setTimeout(() => deadline.abort(), ctx.itemDeadlineMs);
  const stepCtx: EngineContext = {
    ...ctx,
    signal: ctx.signal ? AbortSignal.any([ctx.signal, deadline.signal]) : deadline.signal,
  };
  const late = (): boolean => deadline.signal.aborted && !ctx.signal?.aborted;
  for (const [i, step] of s.steps.entries()) {
    const title = step.title ?? describeStep(step);
    if (stopped) {
      steps.push({
        title,
        outcome: 'skipped',
        reason: { code: interrupted ? INTERRUPTED_CODE : 'EARLIER_STEP', message: stopped },
      });
      continue;
    }
    const undeclared = (step.requires ?? []).filter((t) => !ctx.profile.partner.serviceTypes[t]);
    if (undeclared.length > 0) {
      steps.push({
        title: `${title} — left out: the partner profile declares no ${undeclared.join(', ')} service type`,
      });
      continue;
    }
    const declared = (step.unless ?? []).filter((t) => ctx.profile.partner.serviceTypes[t]);
    if (declared.length > 0) {
      steps.push({ title: `${title} — left out: the partner profile declares ${declared.join(', ')}` });
      continue;
    }
    const started = ctx.clock.monotonicMs();
    if (step.actor !== undefined || step.send !== undefined || step.trigger !== undefined)
      cursor.actedFrom = ctx.hub.recorder.recordedCount();
    const result = await untilAborted(
      runStep(
        s,
        step,
        title,
        variables,
        {
          item: itemFrom,
          frames: framesFrom,
          acted: cursor.actedFrom,
          taken: cursor.taken,
          judged: cursor.judged,
          grace: cursor.grace,
          fired: cursor.fired,
        },
        stepCtx,
      ),
      stepCtx.signal,
    ).catch((e: unknown) => harnessError(title, e));
    result.step.durationMs = ctx.clock.monotonicMs() - started;
    if (result.step.reason?.code === INTERRUPTED_CODE && late())
      result.step.reason = deadlineReason(ctx.itemDeadlineMs!);
    steps.push(result.step);
    warnings.push(...(result.warnings ?? []));
    if (result.step.reason?.code === INTERRUPTED_CODE) {
      interrupted = true;
      stopped = 'the run was interrupted';
    } else if (result.step.reason?.code === ITEM_DEADLINE_CODE) {
      stopped = 'the item ran out of time';
    } else if (result.stop) stopped = `step ${i + 1} (${title}) did not pass`;
  }
  clearTimeout(timer);
  const overtime = steps.some((st) => st.reason?.code === ITEM_DEADLINE_CODE);
  const undo = await tidyUp(s.id, itemFrom, baseline, cursor.fired, ctx, interrupted);
  if (undo.notes.length > 0) steps.push({ title: `teardown: ${undo.notes.join('; ')}`, exchangeIds: undo.exchangeIds });
  // Whatever the steps named, every MUST HBS saw the partner break in this item fails it; SHOULDs are warnings.
  const judged = interrupted ? { checks: [], warnings: [] } : judgeViolations(ownExchanges(ctx, itemFrom));
  if (judged.checks.length > 0)
    steps.push({ title: "HBS's record of the partner's messages: the MUSTs it broke", checks: judged.checks });
  warnings.push(...judged.warnings);
  // Everything recorded while the item ran belongs to its evidence, whatever the outcome: an item that errored
  // shows what did reach HBS.
  const exchangeIds = ctx.hub.recorder.since(itemFrom).map((x) => x.id);
  const cut = interrupted
    ? { code: INTERRUPTED_CODE, message: new Interrupted().message }
    : overtime
      ? deadlineReason(ctx.itemDeadlineMs!)
      : undefined;
  return { ...item, steps, exchangeIds, ...(warnings.length > 0 ? { warnings } : {}), ...(cut ? { error: cut } : {}) };
}

/** The partner's exchanges (both directions) recorded since `from`. */
function ownExchanges(ctx: EngineContext, from: number): Exchange[] {
  const partnerId = normalizePartnerId(ctx.profile.partner.id);
  return ctx.hub.recorder.since(from).filter((x) => normalizePartnerId(x.partnerId ?? '') === partnerId);
}

/** The teardown, then the faults and throttles cleared; an interrupted run gives the partner's answers only moments. */
async function tidyUp(
  itemId: string,
  from: number,
  baseline: ReturnType<typeof stationBaseline>,
  fired: readonly FiredTrigger[],
  ctx: EngineContext,
  interrupted: boolean,
): Promise<{ notes: string[]; exchangeIds: string[] }> {
  const recorder = ctx.hub.recorder;
  const before = recorder.recordedCount();
  ctx.actors.faults.clear();
  ctx.hub.clearThrottles();
  // Like the faults: what the item armed at the charge points ends with it, so it cannot refuse a later item's start.
  const disarmed = ctx.stationActions?.disarm() ?? [];
  let notes: string[] = [];
  const work = teardown(itemId, from, baseline, fired, ctx, interrupted).then(
    (r) => {
      notes = r.notes;
      ctx.blocked?.push(...r.blocked);
    },
    (e: unknown) => {
      notes = [`could not finish: ${messageOf(e)}`];
    },
  );
  await settleUnlessStopped(work, ctx.signal);
  await settleUnlessStopped(Promise.all([ctx.hub.idle(), ctx.actors.idle()]), ctx.signal);
  return {
    notes: [...notes, ...disarmed],
    exchangeIds: recorder.since(before).map((x) => x.id),
  };
}

/** An earlier item's session still holding an EVSE this scenario uses, once the partner's End or CDR has been looked for again. */
function blockerOf(s: Scenario, ctx: EngineContext): Blocker | undefined {
  const list = ctx.blocked;
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const b = list[i]!;
    if (sessionEnded(ctx.hub.recorder.since(b.from), ctx.profile.partner.id, b.sessionId)) list.splice(i, 1);
  }
  return list.find((b) => usesEvse(s.steps, b.evseId, ctx.profile.testData.evseIds));
}

const ITEM_DEADLINE_CODE = 'ITEM_DEADLINE';

function deadlineReason(ms: number): { code: string; message: string } {
  return {
    code: ITEM_DEADLINE_CODE,
    message: `the item did not finish within ${ms / 1000} s (--item-timeout), so it was not judged; raise the limit or look at the step that was waiting`,
  };
}

function interruptedBefore(): { code: string; message: string } {
  return {
    code: INTERRUPTED_CODE,
    message:
      'interrupted: the run was stopped (SIGINT/SIGTERM) before this item ran, so it was not checked; run it again',
  };
}

async function runStep(
  s: Scenario,
  step: ScenarioStep,
  title: string,
  variables: Variables,
  marks: {
    item: number;
    /** The OCPP frame log's count when the item began: the item's frames come after it. */
    frames: number;
    acted: number;
    taken: Set<string>;
    /** Checks of per-event rules an earlier check step of the item already gave (by id): each event is judged once. */
    judged: Set<string>;
    grace: { ms: number };
    fired: FiredTrigger[];
  },
  ctx: EngineContext,
): Promise<StepOutcome> {
  const recorder = ctx.hub.recorder;
  const from = recorder.recordedCount();
  const since = (): readonly Exchange[] => recorder.since(from);
  const scale: InvariantContext = {
    timeScale: ctx.clock.timeScale,
    deadline: (ms: number) => ctx.clock.deadline(ms),
    calibrationOf: (evseId) => ctx.hub.state.evseData.get(evseId)?.record.CalibrationLawDataAvailability,
    ...(ctx.profile.ocpp && ctx.ocppFrames ? { ocpp: ocppView(ctx.profile.ocpp, ctx.ocppFrames, marks.frames) } : {}),
  };
  let own: Exchange | undefined;
  let defaultSide: 'request' | 'response' = 'response';

  if (step.actor !== undefined) {
    await runAction(ctx.actors, step.actor, step.action!, fill(step.with ?? {}, variables));
    own = lastLegToPartner(since(), ctx.profile.partner.id) ?? since().at(-1);
  } else if (step.send !== undefined) {
    own = await send(step.send as OperationId, fill(step.body, variables), step.timeoutMs, ctx);
  } else if (step.await !== undefined && step.absent) {
    const arrived = await awaitRequest(s.id, step, variables, marks, ctx);
    const checks: Check[] = [
      {
        id: 'absent',
        title: `no ${step.await} from the partner within ${awaitLimit(step, marks.grace, scale)}`,
        outcome: arrived ? 'failed' : 'passed',
        expected: 'none',
        actual: arrived ? `${step.await} arrived` : 'none arrived',
        ...(arrived ? { exchangeId: arrived.id, side: 'request' as const } : {}),
      },
    ];
    return { step: { title, checks, exchangeIds: since().map((x) => x.id) }, stop: !!arrived };
  } else if (step.await !== undefined) {
    // The partner's own request is judged as sent; a leg HBS forwards to it, by the partner's answer.
    defaultSide = partnerSends(step.await, ctx) ? 'request' : 'response';
    own = await awaitRequest(s.id, step, variables, marks, ctx);
    if (own) marks.taken.add(own.id);
    if (!own && step.ifMissing === 'warn') {
      const message = `no ${step.await} from the partner within ${awaitLimit(step, marks.grace, scale)} (${title}); the spec recommends it but does not require it`;
      return {
        step: { title: `${title} — none arrived (a warning)` },
        stop: false,
        warnings: [{ message, specRef: s.spec }],
      };
    }
    if (!own) {
      const checks: Check[] = [
        {
          id: 'received',
          title: `${step.await} from the partner`,
          outcome: 'failed',
          expected: `a matching request within ${awaitLimit(step, marks.grace, scale)}`,
          actual: whatArrived(
            step.await,
            unmatched(step.await, marks, ctx, defaultSide === 'request'),
            Object.keys(step.match ?? {}),
            defaultSide === 'request',
          ),
        },
      ];
      return { step: { title, checks }, stop: true };
    }
  } else if (step.trigger !== undefined) {
    const input = fill(step.with ?? {}, variables);
    marks.fired.push({ name: step.trigger, input });
    const note = await fireTriggers(step.trigger, input, variables, ctx, triggerTimeoutMs(ctx)).catch((e: unknown) => {
      // The test API's answer is not the partner's certification: what it sent HBS is. Only when nothing reached
      // HBS is the step the harness's error (with the trigger's status and body in the message).
      const sent = since().some(
        (x) =>
          x.direction === 'partner→hub' &&
          normalizePartnerId(x.partnerId ?? '') === normalizePartnerId(ctx.profile.partner.id),
      );
      if (e instanceof TriggerFailed && sent)
        return `${e.message}; the partner's requests to HBS are judged by the next steps`;
      throw e;
    });
    return { step: { title: note ? `${title} — ${note}` : title, exchangeIds: since().map((x) => x.id) }, stop: false };
  } else if (step.fault !== undefined) {
    ctx.actors.faults.arm(fill(step.fault, variables) as FaultSpec);
    return { step: { title }, stop: false };
  } else if (step.throttle !== undefined) {
    const { operation, times, retryAfterMs } = step.throttle;
    const seconds = ctx.hub.throttle(
      ctx.profile.partner.id,
      operation as OperationId,
      times ?? 1,
      retryAfterMs ?? DEFAULT_RETRY_AFTER_MS,
    );
    marks.grace.ms = Math.max(marks.grace.ms, seconds * 1000);
    return { step: { title }, stop: false };
  } else if (step.seed !== undefined) {
    const { actor, evseData, cdrs } = step.seed;
    const station = ctx.actors.station(actor);
    if (!station) throw new EngineError(`no virtual CPO \`${actor}\` is running`, 'SCENARIO_ACTOR');
    const operatorName =
      ctx.hub.state.evseData.all().find((s) => s.operatorId === station.operatorId)?.operatorName ?? station.key;
    ctx.hub.hold(
      seedRecords({
        operatorId: station.operatorId,
        operatorName,
        ...(evseData ? { evseData } : {}),
        ...(cdrs ? { cdrs: { providerId: ctx.profile.partner.id, count: cdrs } } : {}),
        now: ctx.clock.now(),
      }),
    );
    return { step: { title }, stop: false };
  } else if (step.wait !== undefined) {
    await ctx.clock.sleep(step.wait, ctx.signal);
    return { step: { title }, stop: false };
  } else if (step.check !== undefined) {
    const partnerId = normalizePartnerId(ctx.profile.partner.id);
    const own = (): Exchange[] =>
      recorder.since(marks.item).filter((x) => normalizePartnerId(x.partnerId ?? '') === partnerId);
    const checks = await judgeItemRules(step.check, own, scale, marks.judged, {
      eventWithinMs: ctx.clock.deadline(EVENT_WAIT_MS),
      idle: () => ctx.hub.idle(),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return { step: { title, checks }, stop: checks.some((c) => c.outcome !== 'passed') };
  }

  // An exchange named by the step is that operation or nothing: another one (an AuthorizeStop where an
  // AuthorizeStart was expected) is never judged in its place.
  const target = step.expect?.exchange
    ? own?.operation === step.expect.exchange
      ? own
      : pick(since(), step.expect.exchange, ctx.profile.partner.id)
    : own;
  const checks = step.expect && target ? evaluate(step.expect, target, defaultSide, variables, scale) : [];
  if (target) for (const name of step.expect?.rules ?? []) checks.push(...checkExchange(name, target, scale));
  if (step.expect && !target) {
    const other = [...new Set(since().map((x) => x.operation))].join(', ');
    checks.push({
      id: 'exchange',
      title: 'the step produced the exchange to check',
      outcome: 'error',
      expected: step.expect.exchange ?? 'an exchange',
      actual: other ? `none (only ${other})` : 'none',
    });
  }
  for (const [name, ref] of Object.entries(step.capture ?? {})) {
    const value = target ? sideValue(target, ref) : undefined;
    if (value !== undefined) variables[name] = value;
  }
  const exchangeIds = [...new Set([...(own ? [own.id] : []), ...since().map((x) => x.id)])];
  const couldNot = checks.find((c) => c.outcome === 'error');
  const reason = couldNot
    ? { reason: { code: 'NOT_CHECKED', message: couldNot.message ?? `${couldNot.title}: ${String(couldNot.actual)}` } }
    : {};
  return { step: { title, checks, exchangeIds, ...reason }, stop: checks.some((c) => c.outcome !== 'passed') };
}

/** The hub sends `operation` to the partner, as HBS forwards it: its Service URL, its client certificate, its timeout. */
async function send(
  operation: OperationId,
  body: unknown,
  timeoutMs: number | undefined,
  ctx: EngineContext,
): Promise<Exchange | undefined> {
  const b = (body ?? {}) as { OperatorID?: string; ProviderID?: string };
  const result = await ctx.hub.sendAsHbs(ctx.profile.partner, operation, body, {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    causeId: 'scenario',
    pathIds: {
      ...(b.OperatorID ? { operatorID: b.OperatorID } : {}),
      ...(b.ProviderID ? { providerID: b.ProviderID } : {}),
    },
  });
  if (!result.ok && result.failure === 'not-configured')
    throw new EngineError(`cannot send ${operation}: ${result.reason}; set it in the partner profile`);
  return result.exchange;
}

/**
 * The partner's request (or HBS's forwarded leg to it) recorded since the last acting step and not taken by an
 * earlier await, or the next one to arrive before the step's timeout.
 */
function awaitRequest(
  itemId: string,
  step: ScenarioStep,
  variables: Variables,
  marks: { acted: number; taken: ReadonlySet<string>; grace: { ms: number } },
  ctx: EngineContext,
): Promise<Exchange | undefined> {
  const from = marks.acted;
  const recorder = ctx.hub.recorder;
  const partnerId = normalizePartnerId(ctx.profile.partner.id);
  const direction = partnerSends(step.await!, ctx) ? 'partner→hub' : 'hub→partner';
  const wanted = (x: Exchange): boolean =>
    x.direction === direction &&
    x.operation === step.await &&
    !marks.taken.has(x.id) &&
    normalizePartnerId(x.partnerId ?? '') === partnerId &&
    matches(step.match ?? {}, x, variables);
  const already = recorder.since(from).find(wanted);
  if (already) return Promise.resolve(already);
  const waitMs = ctx.clock.deadline(step.timeoutMs!) + marks.grace.ms;
  ctx.onProgress({
    type: 'waiting',
    itemId,
    what: `${step.await} from ${ctx.profile.partner.id}${step.absent ? ', expecting none' : ''}`,
    deadline: new Date(ctx.clock.now().getTime() + waitMs).toISOString(),
  });
  return new Promise((resolve, reject) => {
    const done = (x: Exchange | undefined): void => {
      finish();
      resolve(x);
    };
    const onExchange = (x: Exchange): void => {
      // This runs inside the hub's handling of the partner's request: a harness fault here (a placeholder with no
      // value) must end this step as an error, never turn the partner's request into an HTTP 500.
      let hit: boolean;
      try {
        hit = wanted(x);
      } catch (e) {
        finish();
        reject(e);
        return;
      }
      if (hit) done(x);
    };
    const onAbort = (): void => {
      finish();
      reject(new Interrupted());
    };
    const finish = (): void => {
      clearTimeout(timer);
      recorder.off('exchange', onExchange);
      ctx.signal?.removeEventListener('abort', onAbort);
    };
    const timer = setTimeout(() => done(undefined), waitMs);
    recorder.on('exchange', onExchange);
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** How long an await gave the partner, as the run allowed it; a Retry-After grace (real seconds) on top. */
function awaitLimit(step: ScenarioStep, grace: { ms: number }, time: InvariantContext): string {
  const extra = grace.ms > 0 ? ` plus the ${grace.ms / 1000} s Retry-After` : '';
  return `${limitText(step.timeoutMs!, time)}${extra}`;
}

/**
 * The awaited operation as the item recorded it, between HBS and the partner, that no earlier await took: what the
 * partner sent instead of a match (or HBS forwarded to it), to say what happened when the await timed out.
 */
function unmatched(
  operation: string,
  marks: { item: number; taken: ReadonlySet<string> },
  ctx: EngineContext,
  partnerSent: boolean,
): Exchange[] {
  const partnerId = normalizePartnerId(ctx.profile.partner.id);
  return ctx.hub.recorder
    .since(marks.item)
    .filter(
      (x) =>
        x.operation === operation &&
        x.direction === (partnerSent ? 'partner→hub' : 'hub→partner') &&
        !marks.taken.has(x.id) &&
        normalizePartnerId(x.partnerId ?? '') === partnerId,
    );
}

/** Whether an awaited operation is the partner's own request (else a leg HBS forwards to it). */
function partnerSends(operation: string, ctx: EngineContext): boolean {
  return OPERATIONS[operation as OperationId]?.sender === ctx.profile.partner.role;
}

function lastLegToPartner(exchanges: readonly Exchange[], partnerId: string): Exchange | undefined {
  const id = normalizePartnerId(partnerId);
  return exchanges.filter((x) => x.direction === 'hub→partner' && normalizePartnerId(x.partnerId ?? '') === id).at(-1);
}

/** The step's exchange of `operation`: the leg to the partner when there is one, else the last of that operation. */
function pick(exchanges: readonly Exchange[], operation: string, partnerId: string): Exchange | undefined {
  const ofOp = exchanges.filter((x) => x.operation === operation);
  return lastLegToPartner(ofOp, partnerId) ?? ofOp.at(-1);
}

function describeStep(step: ScenarioStep): string {
  if (step.actor) return `${step.actor}: ${step.action}`;
  if (step.send) return `HBS sends ${step.send}`;
  if (step.await) return `await ${step.await}`;
  if (step.trigger) return `trigger ${step.trigger}`;
  if (step.fault) return `arm fault ${step.fault.kind}`;
  if (step.throttle) return `HBS answers ${step.throttle.operation} with 429`;
  if (step.seed)
    return `HBS holds ${[
      step.seed.evseData ? `${step.seed.evseData} EVSE records` : '',
      step.seed.cdrs ? `${step.seed.cdrs} CDRs` : '',
    ]
      .filter(Boolean)
      .join(' and ')} of ${step.seed.actor}`;
  if (step.check) return `check ${step.check.join(', ')}`;
  return `wait ${step.wait} ms`;
}

/**
 * How long a trigger's answer is awaited (real ms): a test API may answer only once the partner's call to HBS is
 * done, and HBS may hold that call for its longest timeout (a remote start: 60 s at time scale 1).
 */
export function triggerTimeoutMs(ctx: Pick<EngineContext, 'hub' | 'clock'>): number {
  const t = ctx.hub.settings.timeouts;
  return ctx.clock.deadline(Math.max(t.remoteStartMs, t.authorizeMs, t.forwardMs)) + 30_000;
}

function harnessError(title: string, e: unknown): StepOutcome {
  if (e instanceof Interrupted)
    return { step: { title, outcome: 'error', reason: { code: INTERRUPTED_CODE, message: e.message } }, stop: true };
  const code = isSimError(e) ? e.code : e instanceof EngineError ? e.code : 'INTERNAL';
  return { step: { title, outcome: 'error', reason: { code, message: messageOf(e) } }, stop: true };
}
