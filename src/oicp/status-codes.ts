/**
 * Every OICP 2.3 StatusCode.Code with its meaning and group. Partners must branch on `Code` only; `Description`
 * is informative text (≤ 200 characters).
 * @see OICP 2.3 CPO, 03 Data Types, StatusCode; OICP 2.3 CPO, 01 Communication Paradigms, Status codes
 */
import type { StatusCode } from './schemas/common.js';

export type StatusCodeGroup = 'general' | 'internal' | 'authentication' | 'session' | 'EVSE';

export const STATUS_CODES = Object.freeze({
  '000': { description: 'Success', group: 'general' },
  '001': { description: 'Hubject system error', group: 'internal' },
  '002': { description: 'Hubject database error', group: 'internal' },
  '009': { description: 'Data transaction error: the pushed change could not be applied', group: 'internal' },
  '017': {
    description: 'Unauthorized access: the ID in the request and the client certificate differ',
    group: 'internal',
  },
  '018': { description: 'Inconsistent EvseID: the EVSE does not belong to the requesting operator', group: 'internal' },
  '019': { description: "Inconsistent EvcoID: the contract is not the requesting provider's", group: 'internal' },
  '021': { description: 'System error', group: 'general' },
  '022': { description: 'Data error: the request does not match the OICP schema', group: 'general' },
  '101': { description: 'QR code authentication failed: invalid credentials', group: 'authentication' },
  '102': { description: 'RFID authentication failed: invalid UID', group: 'authentication' },
  '103': { description: 'RFID authentication failed: card not readable', group: 'authentication' },
  '105': { description: 'Plug&Charge authentication failed: invalid EvcoID', group: 'authentication' },
  '106': { description: 'No positive authentication response', group: 'authentication' },
  '110': { description: 'QR code app authentication failed: time-out', group: 'authentication' },
  '120': { description: 'Plug&Charge (ISO 15118) failed: invalid underlying EvcoID', group: 'authentication' },
  '121': { description: 'Plug&Charge (ISO 15118) failed: invalid certificate', group: 'authentication' },
  '122': { description: 'Plug&Charge (ISO 15118) failed: time-out', group: 'authentication' },
  '200': { description: 'EvcoID locked', group: 'authentication' },
  '210': { description: 'No valid contract between the partners for this service', group: 'session' },
  '300': { description: 'Partner not found', group: 'session' },
  '310': { description: 'Partner did not respond', group: 'session' },
  '320': { description: 'Service not available', group: 'session' },
  '400': { description: 'Session is invalid', group: 'session' },
  '501': { description: 'Communication to the EVSE failed', group: 'EVSE' },
  '510': { description: 'No EV connected to the EVSE', group: 'EVSE' },
  '601': { description: 'EVSE already reserved', group: 'EVSE' },
  '602': { description: 'EVSE already in use or wrong token', group: 'EVSE' },
  '603': { description: 'Unknown EvseID', group: 'EVSE' },
  '604': { description: 'EvseID is not Hubject compatible', group: 'EVSE' },
  '700': { description: 'EVSE out of service', group: 'EVSE' },
} as const satisfies Record<string, { description: string; group: StatusCodeGroup }>);

export type StatusCodeValue = keyof typeof STATUS_CODES;

/** StatusCode.AdditionalInfo holds at most this many characters. @see OICP 2.3 CPO OpenAPI, schema StatusCode */
export const ADDITIONAL_INFO_MAX = 1000;

/**
 * Builds a StatusCode object with the code's standard description and optional free-text details, cut to
 * ADDITIONAL_INFO_MAX (ending in …): details often quote what the partner sent, which may be any length.
 * @see OICP 2.3 CPO OpenAPI, schema StatusCode
 */
export function statusCode(code: StatusCodeValue, additionalInfo?: string): StatusCode {
  const result: StatusCode = { Code: code, Description: STATUS_CODES[code].description };
  if (additionalInfo !== undefined)
    result.AdditionalInfo =
      additionalInfo.length <= ADDITIONAL_INFO_MAX
        ? additionalInfo
        : `${additionalInfo.slice(0, ADDITIONAL_INFO_MAX - 1)}…`;
  return result;
}

/** Narrows a string to a known OICP status code. @see OICP 2.3 CPO, 03 Data Types, StatusCode */
export function isStatusCodeValue(s: string): s is StatusCodeValue {
  return Object.hasOwn(STATUS_CODES, s);
}

/** The OICP StatusCode.Code of any answer shape that carries one. */
export function readStatusCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const sc = (body as { StatusCode?: { Code?: unknown } }).StatusCode;
  return typeof sc?.Code === 'string' ? sc.Code : sc?.Code === undefined ? undefined : String(sc.Code);
}
