import type { Partner } from '../config/world/types.js';
import type { OperationId } from '../oicp/operations.js';
import { messageOf } from '../shared/errors.js';
import type { HubContext } from './context.js';
import type { ForwardOptions, ForwardResult } from './forward.js';

/**
 * Forwards like Forwarder.forward, and a failure inside HBS before or while sending (an unreadable CA file for the
 * partner, a body that cannot be serialized) comes back as a failed result, like a partner that did not answer:
 * every handler then answers with its usual code (310, NotAuthorized, NOT_FORWARDED) and settles the session,
 * instead of a rejection that leaves the session pending or, unhandled, ends the process.
 */
export async function forwardSafely(
  hub: HubContext,
  partner: Partner,
  operation: OperationId,
  body: unknown,
  options: ForwardOptions,
): Promise<ForwardResult> {
  try {
    return await hub.forwarder.forward(partner, operation, body, options);
  } catch (e) {
    hub.logger.error(
      { err: e, operation, partner: partner.id, cause: options.causeId },
      'forward failed inside the hub',
    );
    return { ok: false, failure: 'connection', reason: `HBS could not send the request: ${messageOf(e)}` };
  }
}
