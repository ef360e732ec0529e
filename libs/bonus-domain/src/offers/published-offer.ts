/**
 * A promo offer's terms and its immutable published versions. An offer is edited as a draft; each approval of a
 * submitted draft (four-eyes) publishes a new version that never changes after: grants name the version they were
 * made under, so a later edit cannot change a bonus already given. Every amount is integer minor units of
 * `currency`; every date is ISO-8601 UTC.
 */

export const OFFER_TYPES = [
  'deposit_match',
  'reload',
  'no_deposit',
  'cashback',
  'free_spins',
  'free_bet',
] as const;
export type OfferType = (typeof OFFER_TYPES)[number];

/** What wagering is computed from and which stakes count (bonus.issued's wagering_base). */
export const WAGERING_BASES = ['bonus', 'deposit_plus_bonus'] as const;
export type WageringBase = (typeof WAGERING_BASES)[number];

/** The product a qualifying action happens in and a reward is spent in (GB: both must be the same product). */
export const PRODUCTS = ['casino', 'sports', 'poker', 'bingo', 'lottery'] as const;
export type Product = (typeof PRODUCTS)[number];

export const CHANNELS = ['web', 'mobile', 'retail'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The contribution schema (promo.wagering.v1) wagering is counted under. A draft names the id; `version` is null
 * until publish, which pins the schema's current version into the published offer.
 */
export interface ContributionSchemaRef {
  readonly id: string;
  readonly version: number | null;
}

/** Free spins or free bets given by the offer (entitlements): count tokens of bet_value_minor on these games. */
export interface FreeRoundsParams {
  readonly count: number;
  readonly bet_value_minor: number;
  /** Game ids the tokens may be played on; empty for free bets on any market. */
  readonly games: readonly string[];
}

export interface OfferParams {
  /** Percentage of the qualifying amount: the deposit (deposit_match, reload) or the net loss (cashback). */
  readonly match_pct: number | null;
  /** Largest bonus one grant can give (match, reload, cashback); null: no cap (refused by some licences). */
  readonly cap_minor: number | null;
  /** Fixed bonus amount (no_deposit). */
  readonly amount_minor: number | null;
  /** Wagering multiplier; 0: no wagering, the bonus is cash on issue. */
  readonly wager_x: number;
  readonly wagering_base: WageringBase;
  /** true: the bonus sits in the wallet's bonus sub-balance and cannot be withdrawn, only converted. */
  readonly sticky: boolean;
  readonly max_bet_minor: number | null;
  /** Conversion cap: at most this much converts to cash, the excess is forfeited. */
  readonly max_win_minor: number | null;
  /** Days a grant lives before it expires. */
  readonly validity_days: number;
  /** Days from the grant the player has to meet the wagering; null: the validity. */
  readonly wagering_window_days: number | null;
  readonly contribution_schema: ContributionSchemaRef | null;
  readonly free_rounds: FreeRoundsParams | null;
  /** Product of the qualifying action (the deposit's intended product, the bets a cashback counts); null: none. */
  readonly qualifying_product: Product | null;
  /** Product the reward is spent in. */
  readonly reward_product: Product;
}

/**
 * Who may get the offer, as data (evaluated by the rules library in eligibility/). null or empty lists: no
 * condition on that fact.
 */
export interface EligibilityConditions {
  /** Brands (tenants' brand codes) the player must belong to. */
  readonly brands: readonly string[] | null;
  /** The player must be in at least one of these CRM segments. */
  readonly segments: readonly string[] | null;
  readonly countries: readonly string[] | null;
  readonly licences: readonly string[] | null;
  readonly channels: readonly Channel[] | null;
  readonly min_kyc_level: number | null;
  /** true: refused while the player is self-excluded or blocked (responsible gaming). */
  readonly rg_clear: boolean;
  readonly min_account_age_days: number | null;
  /** true: only the player's first deposit qualifies (welcome offers). */
  readonly first_deposit_only: boolean;
}

export interface OfferSchedule {
  /** No grants before it; null: from publish. */
  readonly starts_at: string | null;
  /** No grants from it on; null: until retired. */
  readonly ends_at: string | null;
}

export interface PerPeriodLimit {
  readonly count: number;
  readonly period_days: number;
}

export interface OfferLimits {
  readonly once_per_player: boolean;
  /** At most `count` grants per player in any `period_days` days; null: none. */
  readonly per_period: PerPeriodLimit | null;
  /** Total bonus money the offer may give; null: unbounded. */
  readonly budget_minor: number | null;
  readonly max_grants: number | null;
}

/** Everything a draft holds and a version freezes. */
export interface OfferTerms {
  readonly name: string;
  readonly type: OfferType;
  readonly currency: string;
  readonly params: OfferParams;
  readonly eligibility: EligibilityConditions;
  readonly schedule: OfferSchedule;
  readonly limits: OfferLimits;
  /** One active grant per conflict group per player (e.g. `welcome`); null: no conflict group. */
  readonly conflict_group: string | null;
  /** Higher wins when two offers of one conflict group apply. */
  readonly priority: number;
}

/** A published offer's status: grants are made only while it is active (and inside its schedule). */
export const PUBLISHED_OFFER_STATUSES = ['active', 'paused', 'retired'] as const;
export type PublishedOfferStatus = (typeof PUBLISHED_OFFER_STATUSES)[number];

/** One immutable published version of an offer, with the status of the offer as it is now. */
export interface PublishedOffer extends OfferTerms {
  readonly tenant_id: string;
  readonly offer_id: string;
  /** 1, 2, ...: each publish is a new version; grants name the version they were made under. */
  readonly version: number;
  readonly status: PublishedOfferStatus;
  readonly published_at: string;
  /** The approved change request that published it (the audit journal has author and approver). */
  readonly change_request_id: string;
  /** Jurisdiction policy versions it was checked against at publish, e.g. { GB: 2 }. */
  readonly policy_versions: Readonly<Record<string, number>>;
}

/** The offer's largest bonus in minor units for one grant; null when unbounded (a match without cap). */
export function maxBonusMinor(terms: Pick<OfferTerms, 'type' | 'params'>): number | null {
  const { params } = terms;
  switch (terms.type) {
    case 'no_deposit':
      return params.amount_minor;
    case 'free_spins':
    case 'free_bet':
      return params.free_rounds ? params.free_rounds.count * params.free_rounds.bet_value_minor : null;
    default:
      return params.cap_minor;
  }
}

/** Days a player has to meet the offer's conditions: the wagering window, or the grant's validity. */
export function daysToMeetConditions(
  params: Pick<OfferParams, 'validity_days' | 'wagering_window_days'>,
): number {
  return params.wagering_window_days ?? params.validity_days;
}

/** Whether an offer in this status, at this time, can give a grant (the grants saga checks it first). */
export function isGrantable(offer: Pick<PublishedOffer, 'status' | 'schedule'>, at: Date): boolean {
  if (offer.status !== 'active') return false;
  const now = at.getTime();
  if (offer.schedule.starts_at !== null && now < Date.parse(offer.schedule.starts_at)) return false;
  if (offer.schedule.ends_at !== null && now >= Date.parse(offer.schedule.ends_at)) return false;
  return true;
}
