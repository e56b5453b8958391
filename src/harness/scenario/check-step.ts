import { setTimeout as sleep } from 'node:timers/promises';
import type { Exchange } from '../../shared/exchange.js';
import type { Check } from '../report/model.js';
import { checkItem, hasNewEvent, type InvariantContext, settleItem } from './invariants.js';

/**
 * A `check` step: judges item rules on the partner's exchanges so far. A per-event rule (a StatusNotification the CPO
 * must push, a remote start that must reach a charge point) first waits for an event the item's earlier check steps
 * did not judge, since the step before only set it going (a CSMS sends RemoteStartTransaction when it gets to it);
 * then every rule gets the time the partner has to react (settleMs) before it is judged.
 */

/** Protocol time a check step waits for the event it judges: HBS's own remote-start timeout. */
export const EVENT_WAIT_MS = 60_000;
/** Real milliseconds between looks for a new event. */
const POLL_MS = 50;

export async function judgeItemRules(
  names: readonly string[],
  own: () => readonly Exchange[],
  ctx: InvariantContext,
  judged: Set<string>,
  o: { eventWithinMs: number; idle: () => Promise<void>; signal?: AbortSignal },
): Promise<Check[]> {
  await o.idle();
  const until = Date.now() + o.eventWithinMs;
  while (names.some((n) => !hasNewEvent(n, own(), ctx, judged)) && Date.now() < until) {
    await sleep(POLL_MS, undefined, o.signal ? { signal: o.signal } : {});
  }
  const settle = settleItem(names, own(), ctx, Date.now());
  if (settle > 0) {
    await sleep(settle, undefined, o.signal ? { signal: o.signal } : {});
    await o.idle();
  }
  return names.flatMap((name) => checkItem(name, own(), ctx, judged));
}
