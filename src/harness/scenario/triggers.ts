import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { retryingStaleSocket } from '../../net/stale-socket.js';
import { STATION_ACTIONS } from '../../partners/station/ocpp/fleet.js';
import type { EngineContext } from './context.js';
import { EngineError, TriggerFailed } from './engine-error.js';
import type { PartnerProfile } from './profile.js';
import { fill } from './template.js';

/** Whether the profile's charge points (`ocpp:`) perform the station action `name`, not a trigger. */
function atChargePoints(profile: PartnerProfile, name: string): boolean {
  return profile.ocpp !== undefined && (STATION_ACTIONS as readonly string[]).includes(name);
}

/** The profile's trigger of this name, unless the profile's charge points perform it. */
export function profileTrigger(profile: PartnerProfile, name: string): PartnerProfile['triggers'][string] | undefined {
  return atChargePoints(profile, name) ? undefined : profile.triggers[name];
}

/** Whether a run can make the partner do `name`: its trigger, or a station action at its charge points. */
export function canTrigger(profile: PartnerProfile, name: string): boolean {
  return atChargePoints(profile, name) || !!profile.triggers[name];
}

/**
 * A trigger step: the partner profile says how to make the partner act. An HTTP trigger calls the partner's own
 * test API with its body template, or else the step's `with` values, as JSON; an answer other than 2xx (or none)
 * is a TriggerFailed, which the engine judges by what reached HBS. A prompt asks the person at the terminal; with
 * nobody there (CI) the item cannot be run, which is the harness's error, named. Without a trigger of that name
 * the scenario goes on and its next await waits for the partner to act by itself. Returns a note for the report,
 * if any.
 */
export async function fireTrigger(
  name: string,
  input: Record<string, unknown>,
  variables: Record<string, unknown>,
  ctx: Pick<EngineContext, 'profile' | 'prompt' | 'triggerCa' | 'signal' | 'stationActions'>,
  /** Real milliseconds to wait for the answer: at least as long as the HBS call the partner may make meanwhile. */
  timeoutMs = 30_000,
): Promise<string | undefined> {
  if (ctx.stationActions?.has(name)) {
    // The partner's CSMS answers its charge point; whatever it did over OICP meanwhile is what the item judges.
    return ctx.stationActions.perform(name, { ...variables, ...input }).catch((e: unknown) => {
      throw new TriggerFailed(`station action ${name} at the charge point: ${(e as Error).message}`);
    });
  }
  const trigger = profileTrigger(ctx.profile, name);
  if (!trigger) return `the profile has no trigger "${name}": waiting for the partner to act by itself`;
  const vars = { ...variables, ...input };
  if (trigger.prompt) {
    const text = fill(trigger.prompt, vars);
    if (!ctx.prompt)
      throw new EngineError(
        `needs a person: trigger ${name} is a prompt ("${text}"); give an http trigger in the partner profile or run in a terminal`,
        'NEEDS_PERSON',
      );
    await ctx.prompt(text);
    return undefined;
  }
  const h = fill(trigger.http!, vars);
  // Without a body template the step's `with` values are the body, so one trigger serves every scenario's input.
  const payload = h.body !== undefined ? h.body : Object.keys(input).length > 0 ? input : undefined;
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const url = new URL(h.url);
  const lib = url.protocol === 'https:' ? https : http;
  const answer = await retryingStaleSocket(
    (attempt) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = lib.request(
          url,
          {
            method: h.method ?? 'POST',
            headers: {
              ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
              ...h.headers,
            },
            ...triggerTls(ctx.triggerCa),
            timeout: timeoutMs,
            ...(ctx.signal ? { signal: ctx.signal } : {}),
            ...(attempt.fresh ? { agent: false } : {}),
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text = (text + c).slice(0, 2000)));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        attempt.watch(req);
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end(body);
      }),
  ).catch((e: unknown) => {
    throw new TriggerFailed(`trigger ${name}: ${h.url} could not be called: ${(e as Error).message}`);
  });
  const { status, body: answerBody } = answer;
  if (status < 200 || status > 299) {
    const shown = answerBody.trim() ? ` (body: ${answerBody.trim().slice(0, 500)})` : '';
    throw new TriggerFailed(
      `trigger ${name}: ${h.url} answered HTTP ${status}${shown}; the partner's test API did not take the order`,
      status,
      answerBody,
    );
  }
  return undefined;
}

/**
 * Whom an HTTP trigger trusts: the system's CAs and the run's (EngineContext.triggerCa); it presents no client
 * certificate. The preflight probes a test API with the same options, so what it finds is what a trigger meets.
 */
export function triggerTls(triggerCa: readonly string[] | undefined): { ca: string[] } {
  return { ca: [...rootCertificates, ...(triggerCa ?? [])] };
}

/**
 * Where the catalogue's one trigger stands for two calls, a profile may give one trigger per call instead: a test
 * API with an endpoint per OICP operation. `pullPricing` → `pullPricingProductData`, then `pullEvsePricing`
 * (PullPricingProductData and PullEVSEPricing); `pullEvseData` with `delta: true` → `pullEvseDataDelta` (the
 * LastCall pull). A profile's own `pullPricing` wins over the pair; with a `pullEvseDataDelta`, its `pullEvseData` is
 * the full pull only.
 */
const SPLIT: Readonly<Record<string, (input: Record<string, unknown>) => Array<[string, Record<string, unknown>]>>> = {
  pullPricing: (input) => [
    ['pullPricingProductData', input],
    ['pullEvsePricing', input],
  ],
  pullEvseData: (input) => {
    if (input.delta !== true) return [];
    const { delta: _delta, ...rest } = input;
    return [['pullEvseDataDelta', rest]];
  },
};

/** Fires the trigger a step names, or the profile's per-call triggers for it (see SPLIT); notes joined. */
export async function fireTriggers(
  name: string,
  input: Record<string, unknown>,
  variables: Record<string, unknown>,
  ctx: Parameters<typeof fireTrigger>[3],
  timeoutMs?: number,
): Promise<string | undefined> {
  const triggers = ctx.profile.triggers;
  const parts = (SPLIT[name]?.(input) ?? []).filter(([part]) => triggers[part]);
  const own =
    name === 'pullEvseData' && parts.length > 0
      ? []
      : triggers[name]
        ? [[name, input] as [string, Record<string, unknown>]]
        : [];
  const chosen = own.length > 0 ? own : parts.length > 0 ? parts : [[name, input] as [string, Record<string, unknown>]];
  const notes: string[] = [];
  for (const [part, partInput] of chosen) {
    const note = await fireTrigger(part, partInput, variables, ctx, timeoutMs);
    if (note) notes.push(note);
  }
  return notes.length > 0 ? notes.join('; ') : undefined;
}
