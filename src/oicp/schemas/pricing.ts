/**
 * DynamicPricing 1.0: CPOs push pricing products and their EVSE assignment; EMPs pull both. Prices exclude VAT.
 * @see OICP 2.3 CPO OpenAPI, schemas eRoamingPushPricingProductData and eRoamingPushEVSEPricing; OICP 2.3 EMP
 *   OpenAPI, schemas eRoamingPullPricingProductData, eRoamingPullEVSEPricing, eRoamingPricingProductData and
 *   eRoamingEVSEPricing
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  ActionType,
  CurrencyID,
  DateTime,
  EvseID,
  OperatorID,
  Opt,
  Period,
  ProductID,
  ProviderID,
  ProviderIDAsterisk,
  RULE_KEYWORD,
  type RuleName,
  StatusCode,
  StringEnum,
  Text,
} from './common.js';
import { ADDITIONAL_REFERENCES, DAYS, REFERENCE_UNITS } from './enums.js';

const ReferenceUnit = StringEnum(REFERENCE_UNITS);

/**
 * The OpenAPI (schema PricingProductDataRecord) names the list `Periods` (required); OICP 2.3 CPO, 03 Data Types
 * names it `Period`. Either is accepted, one must be there.
 */
export const ProductAvailabilityTimes = Type.Object(
  {
    Periods: Opt(Type.Array(Period)),
    Period: Opt(Type.Array(Period)),
    on: StringEnum(DAYS),
  },
  {
    anyOf: [
      { required: ['Periods'], properties: { Periods: { type: 'array' } } },
      { required: ['Period'], properties: { Period: { type: 'array' } } },
    ],
    [RULE_KEYWORD]: 'periodsSpelling' satisfies RuleName,
  },
);

export const AdditionalReference = Type.Object({
  AdditionalReference: StringEnum(ADDITIONAL_REFERENCES),
  AdditionalReferenceUnit: ReferenceUnit,
  PricePerAdditionalReferenceUnit: Type.Number(),
});

export const PricingProductDataRecord = Type.Object({
  ProductID,
  ReferenceUnit,
  ProductPriceCurrency: CurrencyID,
  PricePerReferenceUnit: Type.Number(),
  MaximumProductChargingPower: Type.Number(),
  IsValid24hours: Type.Boolean(),
  ProductAvailabilityTimes: Type.Array(ProductAvailabilityTimes),
  AdditionalReferences: Opt(Type.Array(AdditionalReference)),
});

export const PricingProductData = Type.Object({
  OperatorID,
  OperatorName: Opt(Text(100)),
  ProviderID: ProviderIDAsterisk,
  PricingDefaultPrice: Type.Number(),
  PricingDefaultPriceCurrency: CurrencyID,
  PricingDefaultReferenceUnit: ReferenceUnit,
  PricingProductDataRecords: Type.Array(PricingProductDataRecord),
});
export type PricingProductData = Static<typeof PricingProductData>;

const evsePricing = <P extends TSchema>(providerId: P) =>
  Type.Object({ EvseID, ProviderID: providerId, EvseIDProductList: Type.Array(ProductID) });

/** As pushed: ProviderID may be `*` (all EMPs). */
export const EVSEPricing = evsePricing(ProviderIDAsterisk);
/** As pulled: the EMP OpenAPI declares a plain ProviderID. */
export const EVSEPricingPulled = evsePricing(ProviderID);

/**
 * OICP 2.3 EMP, 02 Services and Operations calls this object OperatorEVSEPricing; on the wire it sits in the
 * `EVSEPricing` array.
 */
export const OperatorEVSEPricing = Type.Object({
  OperatorID,
  OperatorName: Opt(Text(100)),
  EVSEPricing: Type.Array(EVSEPricingPulled),
});

/** eRoamingPushPricingProductData. */
export const PushPricingProductDataRequest = Type.Object({ ActionType, PricingProductData });
export type PushPricingProductDataRequest = Static<typeof PushPricingProductDataRequest>;

/** eRoamingPushEVSEPricing. EvseIDs outside the pushing operator → 018. */
export const PushEVSEPricingRequest = Type.Object({ ActionType, EVSEPricing: Type.Array(EVSEPricing) });
export type PushEVSEPricingRequest = Static<typeof PushEVSEPricingRequest>;

/** eRoamingPullPricingProductData: `OperatorIDs` (not OperatorIds); the ProviderID is only in the path. */
export const PullPricingProductDataRequest = Type.Object({
  LastCall: Opt(DateTime),
  OperatorIDs: Type.Array(OperatorID),
});
export type PullPricingProductDataRequest = Static<typeof PullPricingProductDataRequest>;

/** eRoamingPricingProductData. */
export const PullPricingProductDataResponse = Type.Object({
  PricingProductData: Type.Array(PricingProductData),
  StatusCode: Opt(StatusCode),
});
export type PullPricingProductDataResponse = Static<typeof PullPricingProductDataResponse>;

/** eRoamingPullEVSEPricing. */
export const PullEVSEPricingRequest = Type.Object({
  ProviderID,
  LastCall: Opt(DateTime),
  OperatorIDs: Type.Array(OperatorID),
});
export type PullEVSEPricingRequest = Static<typeof PullEVSEPricingRequest>;

/** eRoamingEVSEPricing. */
export const PullEVSEPricingResponse = Type.Object({
  EVSEPricing: Type.Array(OperatorEVSEPricing),
  StatusCode: Opt(StatusCode),
});
export type PullEVSEPricingResponse = Static<typeof PullEVSEPricingResponse>;
