// Pure promo domain of bonus-grant: offers, eligibility, jurisdiction policies, the grant life cycle.
export * from './offers/published-offer';
export * from './eligibility/player-facts';
export * from './eligibility/eligibility-result';
export * from './eligibility/eligibility-rules';
export * from './eligibility/evaluate-eligibility';
export * from './jurisdiction/jurisdiction-check';
export * from './jurisdiction/jurisdiction-policies';
export * from './jurisdiction/check-jurisdiction';
export * from './grants/index';
export * from './offers/offer-terms-problems';
export * from './offers/offer-lifecycle';
export * from './entitlements/index';
