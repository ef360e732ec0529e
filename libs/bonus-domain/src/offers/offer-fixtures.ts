import { type PlayerFacts } from '../eligibility/player-facts';
import { type EligibilityConditions, type OfferParams, type OfferTerms } from './published-offer';

// Builders for unit tests (and the app's tests): a valid offer and player, each field overridable.

export const OPEN_ELIGIBILITY: EligibilityConditions = {
  brands: null,
  segments: null,
  countries: null,
  licences: null,
  channels: null,
  min_kyc_level: null,
  rg_clear: false,
  min_account_age_days: null,
  first_deposit_only: false,
};

export const MATCH_PARAMS: OfferParams = {
  match_pct: 100,
  cap_minor: 10_000,
  amount_minor: null,
  wager_x: 10,
  wagering_base: 'bonus',
  sticky: true,
  max_bet_minor: 500,
  max_win_minor: null,
  validity_days: 60,
  wagering_window_days: null,
  contribution_schema: { id: 'casino-default', version: 1 },
  free_rounds: null,
  qualifying_product: 'casino',
  reward_product: 'casino',
};

export function offerTerms(
  overrides: Partial<Omit<OfferTerms, 'params' | 'eligibility'>> & {
    params?: Partial<OfferParams>;
    eligibility?: Partial<EligibilityConditions>;
  } = {},
): OfferTerms {
  const { params, eligibility, ...rest } = overrides;
  return {
    name: 'Welcome 100%',
    type: 'deposit_match',
    currency: 'EUR',
    schedule: { starts_at: null, ends_at: null },
    limits: { once_per_player: true, per_period: null, budget_minor: null, max_grants: null },
    conflict_group: 'welcome',
    priority: 0,
    ...rest,
    params: { ...MATCH_PARAMS, ...params },
    eligibility: { ...OPEN_ELIGIBILITY, licences: ['MT'], ...eligibility },
  };
}

export function playerFacts(overrides: Partial<PlayerFacts> = {}): PlayerFacts {
  return {
    tenant_id: 'brand-a',
    player_id: 'player-1',
    brand: 'brand-a',
    country: 'MT',
    licence: 'MT',
    kyc_level: 2,
    segments: [],
    channel: 'web',
    account_created_at: '2025-01-01T00:00:00.000Z',
    closed: false,
    self_excluded: false,
    blocked: false,
    first_deposit_id: null,
    ...overrides,
  };
}
