import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { retryingStaleSocket } from '../client/stale-socket.js';
import type { EngineContext } from './engine.js';
import { EngineError } from './engine-error.js';
import { fill } from './template.js';

/**
 * A trigger step: the partner profile says how to make the partner act. An HTTP trigger calls the partner's own
 * test API with its body template, or else the step's `with` values, as JSON (a non-2xx answer is the harness's
 * error: the partner did not take the order); a prompt asks the
 * person at the terminal, or, with nobody there, is only shown. Without a trigger of that name the scenario goes
 * on and its next await waits for the partner to act by itself. Returns a note for the report, if any.
 */
export async function fireTrigger(
  name: string,
  input: Record<string, unknown>,
  variables: Record<string, unknown>,
  ctx: EngineContext,
): Promise<string | undefined> {
  const trigger = ctx.profile.triggers[name];
  if (!trigger) return `the profile has no trigger "${name}": waiting for the partner to act by itself`;
  const vars = { ...variables, ...input };
  if (trigger.prompt) {
    const text = fill(trigger.prompt, vars);
    if (!ctx.prompt) return `nobody at a terminal to ask: "${text}"`;
    await ctx.prompt(text);
    return undefined;
  }
  const h = fill(trigger.http!, vars);
  // Without a body template the step's `with` values are the body, so one trigger serves every scenario's input.
  const payload = h.body !== undefined ? h.body : Object.keys(input).length > 0 ? input : undefined;
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const url = new URL(h.url);
  const lib = url.protocol === 'https:' ? https : http;
  const status = await retryingStaleSocket((attempt) => new Promise<number>((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: h.method ?? 'POST',
        headers: { ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...h.headers },
        ca: [...rootCertificates, ...(ctx.triggerCa ?? [])],
        timeout: 30_000,
        ...(attempt.fresh ? { agent: false } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    attempt.watch(req);
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(body);
  })).catch((e: unknown) => {
    throw new EngineError(`trigger ${name}: ${h.url} could not be called: ${(e as Error).message}`);
  });
  if (status < 200 || status > 299) throw new EngineError(`trigger ${name}: ${h.url} answered HTTP ${status}; the partner's test API did not take the order`);
  return undefined;
}
