import { randomUUID } from 'node:crypto';

import { type Pool } from 'pg';

import { type OfferTerms } from '@pitboss/bonus-domain';

/** A deposit-match offer's terms for tests; override what the test is about. */
export function offerTerms(
  overrides: Partial<OfferTerms> = {},
  params: Partial<OfferTerms['params']> = {},
): OfferTerms {
  return {
    name: 'welcome',
    type: 'deposit_match',
    currency: 'EUR',
    params: {
      match_pct: 100,
      cap_minor: 10_000,
      amount_minor: null,
      wager_x: 10,
      wagering_base: 'bonus',
      sticky: true,
      max_bet_minor: 500,
      max_win_minor: null,
      validity_days: 30,
      wagering_window_days: null,
      contribution_schema: { id: 'default', version: 1 },
      free_rounds: null,
      qualifying_product: 'casino',
      reward_product: 'casino',
      ...params,
    },
    eligibility: {
      brands: null,
      segments: null,
      countries: null,
      licences: null,
      channels: null,
      min_kyc_level: null,
      rg_clear: true,
      min_account_age_days: null,
      first_deposit_only: false,
    },
    schedule: { starts_at: null, ends_at: null },
    limits: { once_per_player: false, per_period: null, budget_minor: null, max_grants: null },
    conflict_group: null,
    priority: 0,
    ...overrides,
  };
}

/**
 * A published offer version, written straight into the offers' tables: the grants tests arrange an offer as
 * publishing leaves it (the offers' own tests cover the four-eyes publication).
 */
export async function publishOffer(
  pool: Pool,
  tenantId: string,
  offerId: string,
  terms: OfferTerms,
): Promise<void> {
  const now = new Date();
  await pool.query(
    `INSERT INTO offers (tenant_id, offer_id, draft, draft_revision, status, latest_version, created_by, created_at,
       updated_at) VALUES ($1, $2, $3, 1, 'active', 1, 'test', $4, $4)`,
    [tenantId, offerId, JSON.stringify(terms), now],
  );
  await pool.query(
    `INSERT INTO offer_versions (tenant_id, offer_id, version, terms, published_at, change_request_id, policy_versions)
     VALUES ($1, $2, 1, $3, $4, $5, '{}')`,
    [tenantId, offerId, JSON.stringify(terms), now, randomUUID()],
  );
}

/** A player profile as players.v1 leaves it in the read model (MT licence: no policy beyond the offer's). */
export async function aPlayerProfile(pool: Pool, tenantId: string, playerId: string): Promise<void> {
  await pool.query(
    `INSERT INTO player_profiles (tenant_id, player_id, brand, country, licence, kyc_level, segments, channel,
       account_created_at, closed_at, profile_at)
     VALUES ($1, $2, $1, 'MT', 'MT', 2, '{}', 'web', now() - interval '400 days', NULL, now())`,
    [tenantId, playerId],
  );
}
