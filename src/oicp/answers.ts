import type { ResponseOf } from './messages.js';
import { type OperationId, PAGE_SIZE_DEFAULT } from './operations.js';
import { pageOf } from './paging.js';
import { type StatusCodeValue, statusCode } from './status-codes.js';

/**
 * Every answer the hub gives is shaped as the operation's own response type, also when it refuses: a partner's
 * parser then always sees the message it expects, and every body the hub sends validates against the model.
 */

/** eRoamingAcknowledgement. */
export function ack(
  result: boolean,
  code: StatusCodeValue,
  info?: string,
  extra: { SessionID?: string; CPOPartnerSessionID?: string | null; EMPPartnerSessionID?: string | null } = {},
) {
  return { Result: result, StatusCode: statusCode(code, info), ...definedOnly(extra) };
}

/** The operation's negative answer with the given code. */
export function negativeAnswer<O extends OperationId>(
  operation: O,
  code: StatusCodeValue,
  info?: string,
): ResponseOf<O> {
  const sc = statusCode(code, info);
  // Switching on the plain OperationId lets the compiler check that every operation has its shape (see default).
  const op: OperationId = operation;
  switch (op) {
    case 'AuthorizeStart':
    case 'AuthorizeStop':
      return { AuthorizationStatus: 'NotAuthorized', StatusCode: sc } as ResponseOf<O>;
    case 'PullEvseData':
    case 'GetChargeDetailRecords':
      return pageOf([], 0, PAGE_SIZE_DEFAULT, sc) as ResponseOf<O>;
    case 'PullEvseStatus':
    case 'PullEvseStatusByOperatorId':
      return { EvseStatuses: { OperatorEvseStatus: [] }, StatusCode: sc } as ResponseOf<O>;
    case 'PullEvseStatusById':
      return { EVSEStatusRecords: { EvseStatusRecord: [] }, StatusCode: sc } as ResponseOf<O>;
    case 'PullPricingProductData':
      return { PricingProductData: [], StatusCode: sc } as ResponseOf<O>;
    case 'PullEVSEPricing':
      return { EVSEPricing: [], StatusCode: sc } as ResponseOf<O>;
    case 'AuthorizeRemoteStart':
    case 'AuthorizeRemoteStop':
    case 'AuthorizeRemoteReservationStart':
    case 'AuthorizeRemoteReservationStop':
    case 'ChargeDetailRecord':
    case 'ChargingNotification':
    case 'PushEvseData':
    case 'PushEvseStatus':
    case 'PushAuthenticationData':
    case 'PushPricingProductData':
    case 'PushEVSEPricing':
      return { Result: false, StatusCode: sc } as ResponseOf<O>;
    default: {
      const unshaped: never = op;
      throw new Error(`no negative answer shape for ${String(unshaped)}`);
    }
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  // A loop, not fromEntries(entries().filter()): every relayed acknowledgement goes through here.
  const out: Partial<T> = {};
  for (const k in o) if (Object.hasOwn(o, k) && o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}
