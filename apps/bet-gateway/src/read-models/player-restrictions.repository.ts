import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { NO_RESTRICTIONS, type PlayerRestrictions } from '@pitboss/betting-domain';
import { DATABASE_POOL, type Transaction } from '@pitboss/event-store';

type RestrictionChange = { blocked: boolean } | { selfExcludedUntil: Date | 'indefinite' | null };

/** The read model of `rg.v1`: who may not bet. Written only by the rg.v1 consumer. */
@Injectable()
export class PlayerRestrictionsRepository {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  async find(
    tenantId: string,
    playerId: string,
    db: Pool | Transaction = this.pool,
  ): Promise<PlayerRestrictions> {
    // `infinity` comes back from pg as the JS number Infinity's Date, so it is read as text first.
    const { rows } = await db.query<{
      blocked: boolean;
      until: string | null;
      until_date: Date | null;
    }>(
      `SELECT blocked, self_excluded_until::text AS until, self_excluded_until AS until_date
       FROM player_restrictions WHERE tenant_id = $1 AND player_id = $2`,
      [tenantId, playerId],
    );
    const row = rows[0];
    if (row === undefined) return NO_RESTRICTIONS;
    const selfExcludedUntil =
      row.until === null ? null : row.until === 'infinity' ? 'indefinite' : row.until_date;
    return { blocked: row.blocked, selfExcludedUntil };
  }

  async apply(tx: Transaction, tenantId: string, playerId: string, change: RestrictionChange): Promise<void> {
    if ('blocked' in change) {
      await tx.query(
        `INSERT INTO player_restrictions (tenant_id, player_id, blocked) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, player_id) DO UPDATE SET blocked = EXCLUDED.blocked, updated_at = now()`,
        [tenantId, playerId, change.blocked],
      );
      return;
    }
    const until = change.selfExcludedUntil === 'indefinite' ? 'infinity' : change.selfExcludedUntil;
    await tx.query(
      `INSERT INTO player_restrictions (tenant_id, player_id, self_excluded_until) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, player_id)
       DO UPDATE SET self_excluded_until = EXCLUDED.self_excluded_until, updated_at = now()`,
      [tenantId, playerId, until],
    );
  }
}
