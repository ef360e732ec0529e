import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { NO_RESTRICTIONS, type PlayerRestrictions } from '@pitboss/betting-domain';
import { DATABASE_POOL, type Transaction } from '@pitboss/event-store';

/** `r`'s columns as `restrictionsOf` reads them (`r`: player_restrictions' alias in the query). */
// `infinity` comes back from pg as the JS number Infinity's Date, so it is read as text first.
export const RESTRICTION_COLUMNS =
  'r.blocked, r.self_excluded_until::text AS until, r.self_excluded_until AS until_date';

export interface RestrictionColumns {
  readonly blocked: boolean | null;
  readonly until: string | null;
  readonly until_date: Date | null;
}

/** A player without a row (or a LEFT JOIN that found none: `blocked` null) has no restrictions. */
export function restrictionsOf(row: RestrictionColumns | undefined): PlayerRestrictions {
  if (row === undefined || row.blocked === null) return NO_RESTRICTIONS;
  const selfExcludedUntil =
    row.until === null ? null : row.until === 'infinity' ? 'indefinite' : row.until_date;
  return { blocked: row.blocked, selfExcludedUntil };
}

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
    const { rows } = await db.query<RestrictionColumns>(
      `SELECT ${RESTRICTION_COLUMNS} FROM player_restrictions r WHERE tenant_id = $1 AND player_id = $2`,
      [tenantId, playerId],
    );
    return restrictionsOf(rows[0]);
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
