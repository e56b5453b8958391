import type { Scenario } from './load.js';
import type { PartnerProfile } from './profile.js';
import { fill, placeholderNames } from './template.js';

/** The variables a scenario sees as `{{partner.…}}`: the partner's ID and its profile's test data. */
export function partnerVariables(profile: PartnerProfile): { partner: Record<string, unknown> } {
  return { partner: { id: profile.partner.id, ...profile.testData } };
}

/** The service types a scenario `requires` that the profile does not declare: the item is skipped without them. */
export function missingServices(s: Scenario, profile: PartnerProfile): string[] {
  return (s.requires ?? []).filter((t) => !profile.partner.serviceTypes[t]);
}

/**
 * The `{{partner.…}}` placeholders of a scenario that the profile's test data cannot fill (`partner.qrCodes[0].pin`
 * when the profile lists no qrCodes). Known before any traffic, so a run can refuse or skip the item up front
 * instead of failing halfway through it.
 */
export function missingTestData(s: Scenario, profile: PartnerProfile): string[] {
  const names = new Set(placeholderNames(JSON.stringify(s.steps)).filter((n) => n.startsWith('partner.')));
  const variables = partnerVariables(profile);
  return [...names].filter((n) => {
    try {
      fill(`{{${n}}}`, variables);
      return false;
    } catch {
      return true;
    }
  });
}

/** What to tell the user: which keys to add under testData. */
export function missingTestDataMessage(missing: readonly string[], role: PartnerProfile['partner']['role']): string {
  const keys = [...new Set(missing.map((n) => n.slice('partner.'.length).split(/[.[]/)[0]))];
  return `the partner profile's testData has no value for ${missing.map((n) => `{{${n}}}`).join(', ')}; add ${keys.join(', ')} under testData (see examples/partner-${role.toLowerCase()}.yaml)`;
}
