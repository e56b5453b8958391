import type { VirtualCustomer } from '../../config/world/types.js';
import { type Medium, mediumOf, wrongMediumCode } from '../../oicp/media.js';
import type { Identification } from '../../oicp/messages.js';
import type { StatusCodeValue } from '../../oicp/status-codes.js';

/**
 * The virtual EMP's authorization decision, as a pure function: which customer a medium names, and the OICP answer
 * for it. Unknown or blocked media get NotAuthorized with the code of their kind (101 QR, 102 RFID, 105 PnC).
 * @see OICP 2.3 EMP, 03 Data Types, StatusCode (101–106)
 */

export type Decision =
  | { authorized: true; customer: VirtualCustomer; medium: Medium }
  | { authorized: false; code: StatusCodeValue; info: string };

export function decide(customers: readonly VirtualCustomer[], identification: Identification): Decision {
  const medium = mediumOf(identification);
  if (!medium) return { authorized: false, code: '022', info: 'Identification carries no medium' };
  const customer = findCustomer(customers, medium);
  const code = medium.kind === 'Remote' ? '105' : wrongMediumCode(medium);
  if (!customer) return { authorized: false, code, info: `${describe(medium)} is not a customer of this EMP` };
  if (customer.blocked) return { authorized: false, code, info: `${describe(medium)} is blocked` };
  if (medium.kind === 'QRCode' && customer.pin !== undefined && medium.pin !== customer.pin) {
    return { authorized: false, code: '101', info: 'wrong PIN' };
  }
  return { authorized: true, customer, medium };
}

export function findCustomer(customers: readonly VirtualCustomer[], medium: Medium): VirtualCustomer | undefined {
  const up = (s: string | undefined): string | undefined => s?.toUpperCase();
  if (medium.uid) {
    const byUid = customers.find((c) => up(c.uid) === medium.uid);
    if (byUid) return byUid;
  }
  return medium.evcoId ? customers.find((c) => up(c.evcoId) === medium.evcoId) : undefined;
}

/** The media a customer may stop a session with: the card and the contract it has. */
export function stopIdentifications(customer: VirtualCustomer): Identification[] {
  return [
    ...(customer.uid ? [{ RFIDMifareFamilyIdentification: { UID: customer.uid } }] : []),
    ...(customer.evcoId ? [{ RemoteIdentification: { EvcoID: customer.evcoId } }] : []),
  ];
}

function describe(m: Medium): string {
  return m.uid ? `card ${m.uid}` : `contract ${m.evcoId ?? '?'}`;
}
