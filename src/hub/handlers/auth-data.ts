import { ack } from '../../oicp/answers.js';
import { mediumOf, routableProvider } from '../../oicp/media.js';
import type { Identification } from '../../oicp/messages.js';
import { ownedIds } from '../../oicp/patterns.js';
import type { Handler } from '../context.js';

/**
 * Offline EMPs upload their customers' media; every EvcoID must be the provider's own (019).
 * @see OICP 2.3 EMP, 02 Services and Operations, eRoamingPushAuthenticationData
 */
export const pushAuthenticationData: Handler<'PushAuthenticationData'> = async ({ body, partner: emp, hub }) => {
  const data = body.ProviderAuthenticationData;
  const identifications = data.AuthenticationDataRecord.map((r) => r.Identification as Identification);
  const own = ownedIds(emp);
  const foreign = identifications
    .map((i) => mediumOf(i))
    .filter((m) => m?.evcoId !== undefined && !own.has(routableProvider(m) ?? ''))
    .map((m) => m!.evcoId!);
  if (foreign.length > 0)
    return { body: ack(false, '019', `EvcoIDs outside ${emp.id}: ${foreign.slice(0, 20).join(', ')}`) };
  const outcome = hub.state.authData.apply(emp.id, body.ActionType, identifications);
  return {
    body: outcome.ok
      ? ack(true, '000', `${hub.state.authData.count(emp.id)} record(s) held`)
      : ack(false, '009', outcome.info),
  };
};
