import type { OfferType } from '../offers/published-offer';

/**
 * One rule of a licence's bonus policy, as data. `code` is what a refusal names (OFFER_VIOLATES_REGULATION lists
 * each); the kind says how check-jurisdiction.ts evaluates it, with the parameters given here.
 */
export type PolicyRule =
  | { readonly code: string; readonly kind: 'no_bonuses' }
  | { readonly code: string; readonly kind: 'max_wager_x'; readonly max: number }
  | { readonly code: string; readonly kind: 'same_product' }
  | { readonly code: string; readonly kind: 'min_days_to_meet_conditions'; readonly days: number }
  | {
      readonly code: string;
      readonly kind: 'max_bonus';
      readonly currency: string;
      readonly max_minor: number;
    }
  | { readonly code: string; readonly kind: 'forbidden_offer_types'; readonly types: readonly OfferType[] }
  | { readonly code: string; readonly kind: 'first_opportunity_only' }
  | {
      readonly code: string;
      readonly kind: 'verified_account';
      readonly min_kyc_level: number;
      readonly min_account_age_days: number;
    };

/**
 * A licence's bonus rules from a date on. A change of the rules is a new version (the old one stays, for offers
 * checked under it and for the audit); the version in force at an instant is the latest whose effective_from is
 * not after it.
 */
export interface JurisdictionPolicy {
  readonly licence: string;
  readonly version: number;
  /** ISO-8601 UTC instant the version takes effect. */
  readonly effective_from: string;
  /** Where the rules come from, for the reviewer. */
  readonly source: string;
  readonly rules: readonly PolicyRule[];
}

/**
 * The policies in force. Simplified readings of each regulator's bonus rules, kept as data so compliance can
 * review and version them without touching the check; docs/promo.md lists each rule and its source.
 */
export const JURISDICTION_POLICIES: readonly JurisdictionPolicy[] = [
  {
    licence: 'GB',
    version: 1,
    effective_from: '2020-01-01T00:00:00.000Z',
    source: 'UKGC LCCP SR 5.1.1 (fair and open terms)',
    rules: [],
  },
  {
    licence: 'GB',
    version: 2,
    effective_from: '2026-01-19T00:00:00.000Z',
    source:
      'UKGC LCCP SR 5.1.1 as amended (wagering cap 10x, no mixed-product promotions) from 19 January 2026',
    rules: [
      { code: 'GB_WAGERING_ABOVE_10X', kind: 'max_wager_x', max: 10 },
      { code: 'GB_MIXED_PRODUCT', kind: 'same_product' },
    ],
  },
  {
    licence: 'SE',
    version: 1,
    effective_from: '2019-01-01T00:00:00.000Z',
    source: 'Spellag (2018:1138) ch. 14 § 9; SIFS 2018:8 (bonus only at the first gaming occasion)',
    rules: [
      { code: 'SE_NOT_FIRST_OPPORTUNITY', kind: 'first_opportunity_only' },
      { code: 'SE_CONDITIONS_UNDER_60_DAYS', kind: 'min_days_to_meet_conditions', days: 60 },
    ],
  },
  {
    licence: 'DK',
    version: 1,
    effective_from: '2020-01-01T00:00:00.000Z',
    source: 'Spillemyndigheden executive order on online casino § 18 (bonus cap, wagering, time limit)',
    rules: [
      { code: 'DK_BONUS_ABOVE_DKK_1000', kind: 'max_bonus', currency: 'DKK', max_minor: 100_000 },
      { code: 'DK_WAGERING_ABOVE_10X', kind: 'max_wager_x', max: 10 },
      { code: 'DK_CONDITIONS_UNDER_60_DAYS', kind: 'min_days_to_meet_conditions', days: 60 },
    ],
  },
  {
    licence: 'NL',
    version: 1,
    effective_from: '2021-10-01T00:00:00.000Z',
    source:
      'Wet Kansspelen op afstand; Regeling werving, reclame en verslavingspreventie (no loss-linked bonuses)',
    rules: [{ code: 'NL_LOSS_LINKED_BONUS', kind: 'forbidden_offer_types', types: ['cashback'] }],
  },
  {
    licence: 'ES',
    version: 1,
    effective_from: '2020-11-04T00:00:00.000Z',
    source: 'Real Decreto 958/2020 art. 13 (bonuses only for verified accounts at least 30 days old)',
    rules: [
      {
        code: 'ES_ACCOUNT_NOT_VERIFIED_30_DAYS',
        kind: 'verified_account',
        min_kyc_level: 2,
        min_account_age_days: 30,
      },
    ],
  },
  {
    licence: 'BR',
    version: 1,
    effective_from: '2025-01-01T00:00:00.000Z',
    source: 'Lei 14.790/2023 art. 29 (no bonuses or advance incentives to bettors)',
    rules: [{ code: 'BR_NO_BONUSES', kind: 'no_bonuses' }],
  },
];
