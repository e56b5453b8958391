/**
 * The report is laid out like Hubject's certification checklist: one section per service type the partner's role
 * takes part in, in the order Hubject's service type settings list them.
 * @see Hubject support article "Service Type Settings (CPO)" (service types), src/oicp/operations.ts (who sends what)
 */
import { OPERATIONS, type Role } from '../../oicp/operations.js';
import { type ChecklistItem, SECTIONS, type Section } from './model.js';

/** Hubject's names for the service types (portal and OICP documents). */
export const SECTION_TITLES: Readonly<Record<Section, string>> = Object.freeze({
  authorization: 'eRoamingAuthorization',
  reservation: 'eRoamingReservation',
  chargingNotifications: 'eRoamingChargingNotifications',
  evseData: 'eRoamingEVSEData',
  evseStatus: 'eRoamingEVSEStatus',
  authenticationData: 'eRoamingAuthenticationData',
  dynamicPricing: 'eRoamingDynamicPricing',
  general: 'General (certificates, Acceptable Use Policy)',
});

/** Service types in which `role` sends or receives at least one operation. */
export function sectionsOfRole(role: Role): Section[] {
  const used = new Set<Section>();
  for (const op of Object.values(OPERATIONS)) if (op.mandatory[role] !== '-') used.add(op.serviceType);
  return SECTIONS.filter((s) => used.has(s));
}

/** The role's sections plus any other section an item names, each with its items, in checklist order. */
export function sectionsOf(
  role: Role,
  items: readonly ChecklistItem[],
): { section: Section; items: ChecklistItem[] }[] {
  const shown = new Set<Section>([...sectionsOfRole(role), ...items.map((i) => i.section)]);
  return SECTIONS.filter((s) => shown.has(s)).map((section) => ({
    section,
    items: items.filter((i) => i.section === section),
  }));
}
