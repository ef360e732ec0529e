import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { type AuthorizationFacts, type Money } from '@pitboss/betting-domain';
import { DATABASE_POOL, type Transaction } from '@pitboss/event-store';

export interface IssuedGrant {
  readonly grantId: string;
  readonly playerId: string;
  readonly maxBet: Money | null;
  readonly expiresAt: Date | null;
  /** Game ids a bet against the grant may not be placed on. */
  readonly excludedGames: readonly string[];
}

/** The read model of `promo.grants.v1`: each grant's betting rules while it is active. */
@Injectable()
export class BonusGrantsRepository {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  /** The grant when it belongs to the player, has not ended and has not expired at `now`; else null. */
  async findActive(
    tenantId: string,
    grantId: string,
    playerId: string,
    now: Date,
    db: Pool | Transaction = this.pool,
  ): Promise<AuthorizationFacts['activeGrant']> {
    const { rows } = await db.query<{
      minor_units: string | null;
      currency: string | null;
      excluded_games: string[];
    }>(
      `SELECT max_bet_minor_units AS minor_units, max_bet_currency AS currency, excluded_games FROM bonus_grants
       WHERE tenant_id = $1 AND grant_id = $2 AND player_id = $3 AND ended_reason IS NULL
         AND (expires_at IS NULL OR expires_at > $4)`,
      [tenantId, grantId, playerId, now],
    );
    const row = rows[0];
    if (row === undefined) return null;
    const maxBet =
      row.minor_units === null || row.currency === null
        ? null
        : { minor_units: Number(row.minor_units), currency: row.currency };
    return { maxBet, excludedGames: row.excluded_games };
  }

  async issue(tx: Transaction, tenantId: string, grant: IssuedGrant): Promise<void> {
    await tx.query(
      `INSERT INTO bonus_grants
         (tenant_id, grant_id, player_id, max_bet_minor_units, max_bet_currency, expires_at, excluded_games)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, grant_id) DO NOTHING`,
      [
        tenantId,
        grant.grantId,
        grant.playerId,
        grant.maxBet?.minor_units ?? null,
        grant.maxBet?.currency ?? null,
        grant.expiresAt,
        grant.excludedGames,
      ],
    );
  }

  async end(tx: Transaction, tenantId: string, grantId: string, reason: string): Promise<void> {
    await tx.query(
      `UPDATE bonus_grants SET ended_reason = $3, updated_at = now()
       WHERE tenant_id = $1 AND grant_id = $2 AND ended_reason IS NULL`,
      [tenantId, grantId, reason],
    );
  }
}
