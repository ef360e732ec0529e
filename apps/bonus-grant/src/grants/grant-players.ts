import { type Transaction } from '@pitboss/event-store';

/**
 * The player's row in `grant_players`, created if absent and locked until the transaction ends: grant issue and
 * self-exclusion both take it, so they never interleave (see the migration).
 */
export async function lockGrantPlayer(tx: Transaction, tenantId: string, playerId: string): Promise<void> {
  await tx.query(
    `INSERT INTO grant_players (tenant_id, player_id) VALUES ($1, $2) ON CONFLICT (tenant_id, player_id) DO NOTHING`,
    [tenantId, playerId],
  );
  await tx.query('SELECT 1 FROM grant_players WHERE tenant_id = $1 AND player_id = $2 FOR UPDATE', [
    tenantId,
    playerId,
  ]);
}

export async function playerIsExcluded(
  tx: Transaction,
  tenantId: string,
  playerId: string,
  at: Date,
): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM grant_players WHERE tenant_id = $1 AND player_id = $2 AND self_excluded
        AND (excluded_until IS NULL OR excluded_until > $3)`,
    [tenantId, playerId, at],
  );
  return rows.length > 0;
}

/** Records the exclusion (or its end) on the locked row. */
export async function setPlayerExcluded(
  tx: Transaction,
  tenantId: string,
  playerId: string,
  excluded: boolean,
  until: Date | null,
): Promise<void> {
  await tx.query(
    `UPDATE grant_players SET self_excluded = $3, excluded_until = $4, updated_at = now()
      WHERE tenant_id = $1 AND player_id = $2`,
    [tenantId, playerId, excluded, until],
  );
}
