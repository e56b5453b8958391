import type { Partner } from '../../config/world/types.js';
import { ack, negativeAnswer } from '../../oicp/answers.js';
import { normalizePartnerId } from '../../oicp/patterns.js';
import { statusCode } from '../../oicp/status-codes.js';
import type { Handler, HubContext } from '../context.js';
import { foreignEvseIds } from './evse-data.js';

export const pushPricingProductData: Handler<'PushPricingProductData'> = async ({ body, partner: cpo, hub }) => {
  const outcome = hub.state.pricing.applyProducts(
    cpo.id,
    body.ActionType,
    body.PricingProductData,
    hub.clock.now().getTime(),
  );
  return { body: outcome.ok ? ack(true, '000') : ack(false, '009', outcome.info) };
};

export const pushEvsePricing: Handler<'PushEVSEPricing'> = async ({ body, partner: cpo, hub }) => {
  const foreign = foreignEvseIds(
    cpo,
    body.EVSEPricing.map((p) => p.EvseID),
  );
  if (foreign.length > 0)
    return { body: ack(false, '018', `EvseIDs outside ${cpo.id}: ${foreign.slice(0, 20).join(', ')}`) };
  const outcome = hub.state.pricing.applyEvsePricing(
    cpo.id,
    body.ActionType,
    body.EVSEPricing,
    hub.clock.now().getTime(),
  );
  return { body: outcome.ok ? ack(true, '000') : ack(false, '009', outcome.info) };
};

/**
 * Pulling prices needs a dynamic-pricing contract with every CPO asked for (210).
 * @see OICP 2.3 EMP, 02 Services and Operations, eRoamingPullPricingProductData and eRoamingPullEVSEPricing
 */
function uncontracted(hub: HubContext, emp: Partner, operatorIds: string[]): string[] {
  return operatorIds.filter((o) => {
    const cpo = hub.directory.cpoForOperator(o);
    return !cpo || !hub.directory.contracted(cpo.id, emp.id, 'dynamicPricing');
  });
}

const canonicalOperators = (hub: HubContext, ids: string[]): string[] =>
  ids.map((o) => hub.directory.cpoForOperator(o)?.id ?? o);

export const pullPricingProductData: Handler<'PullPricingProductData'> = async ({ body, partner: emp, hub }) => {
  const missing = uncontracted(hub, emp, body.OperatorIDs);
  if (missing.length)
    return {
      body: negativeAnswer('PullPricingProductData', '210', `no dynamic-pricing contract with ${missing.join(', ')}`),
    };
  const since = body.LastCall ? Date.parse(body.LastCall) : undefined;
  const data = hub.state.pricing
    .productsFor(emp.id, canonicalOperators(hub, body.OperatorIDs), since)
    .map((p) => p.data);
  return { body: { PricingProductData: data, StatusCode: statusCode('000') } };
};

export const pullEvsePricing: Handler<'PullEVSEPricing'> = async ({ body, partner: emp, hub }) => {
  const missing = uncontracted(hub, emp, body.OperatorIDs);
  if (missing.length)
    return { body: negativeAnswer('PullEVSEPricing', '210', `no dynamic-pricing contract with ${missing.join(', ')}`) };
  const since = body.LastCall ? Date.parse(body.LastCall) : undefined;
  const byOperator = new Map<
    string,
    {
      OperatorID: string;
      OperatorName?: string;
      EVSEPricing: Array<{ EvseID: string; ProviderID: string; EvseIDProductList: string[] }>;
    }
  >();
  for (const p of hub.state.pricing.evsePricingFor(emp.id, canonicalOperators(hub, body.OperatorIDs), since)) {
    const k = normalizePartnerId(p.operatorId);
    const group = byOperator.get(k) ?? {
      OperatorID: p.operatorId,
      OperatorName: hub.directory.find(p.operatorId)?.name,
      EVSEPricing: [],
    };
    // A price pushed for `*` applies to every EMP; the pull answer names the EMP asking (no `*` on the pull side).
    group.EVSEPricing.push({
      EvseID: p.EvseID,
      ProviderID: p.ProviderID === '*' ? emp.id : p.ProviderID,
      EvseIDProductList: p.EvseIDProductList,
    });
    byOperator.set(k, group);
  }
  return { body: { EVSEPricing: [...byOperator.values()], StatusCode: statusCode('000') } };
};
