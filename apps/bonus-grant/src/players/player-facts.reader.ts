import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { type PlayerFacts } from '@pitboss/bonus-domain';
import { DATABASE_POOL } from '@pitboss/event-store';

import { type Queryable } from '../offers/published-offers';

/**
 * The player read model (players.v1 profile, rg.v1 state, first deposit) as one PlayerFacts. A player whose
 * profile has not arrived yet is unknown (null): the platform's registration always comes first on players.v1,
 * so rg or deposit facts alone do not make an eligible player.
 */
@Injectable()
export class PlayerFactsReader {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  /** The player's facts as of `at` (a self-exclusion past its end no longer counts); null: no profile yet. */
  async find(
    tenantId: string,
    playerId: string,
    at: Date = new Date(),
    db: Queryable = this.pool,
  ): Promise<PlayerFacts | null> {
    const { rows } = await db.query(
      `SELECT p.tenant_id, p.player_id, p.brand, p.country, p.licence, p.kyc_level, p.segments, p.channel,
              p.account_created_at, p.closed_at,
              coalesce(r.self_excluded AND (r.excluded_until IS NULL OR r.excluded_until > $3), false)
                AS self_excluded,
              coalesce(r.blocked, false) AS blocked,
              d.deposit_id AS first_deposit_id
         FROM player_profiles p
         LEFT JOIN player_rg_states r USING (tenant_id, player_id)
         LEFT JOIN player_first_deposits d USING (tenant_id, player_id)
        WHERE p.tenant_id = $1 AND p.player_id = $2`,
      [tenantId, playerId, at],
    );
    const row = rows[0] as PlayerFactsRow | undefined;
    if (row === undefined) return null;
    return {
      tenant_id: row.tenant_id,
      player_id: row.player_id,
      brand: row.brand,
      country: row.country,
      licence: row.licence,
      kyc_level: row.kyc_level,
      segments: row.segments,
      channel: row.channel,
      account_created_at: row.account_created_at.toISOString(),
      closed: row.closed_at !== null && row.closed_at.getTime() <= at.getTime(),
      self_excluded: row.self_excluded,
      blocked: row.blocked,
      first_deposit_id: row.first_deposit_id,
    };
  }
}

interface PlayerFactsRow {
  tenant_id: string;
  player_id: string;
  brand: string;
  country: string;
  licence: string;
  kyc_level: number;
  segments: string[];
  channel: string;
  account_created_at: Date;
  closed_at: Date | null;
  self_excluded: boolean;
  blocked: boolean;
  first_deposit_id: string | null;
}
