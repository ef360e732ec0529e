import { type Transaction } from '@pitboss/event-store';

import { minorUnits } from './ledger-rows';

type Queryable = Pick<Transaction, 'query'>;

export interface GrantFunds {
  readonly grantId: string;
  readonly minorUnits: number;
  readonly currency: string;
}

/**
 * One grant's bonus money, read under the caller's account row lock (every change to a player's funds holds it,
 * so no separate row lock is needed). A grant the wallet never credited has 0.
 */
export async function grantFunds(tx: Queryable, tenantId: string, grantId: string): Promise<number> {
  const { rows } = await tx.query(
    'SELECT minor_units FROM bonus_funds WHERE tenant_id = $1 AND grant_id = $2',
    [tenantId, grantId],
  );
  const row = rows[0] as { minor_units: string } | undefined;
  return row === undefined ? 0 : minorUnits(row.minor_units);
}

/** Adds `delta` (negative to take) to the grant's funds; the CHECK refuses a negative result. */
export async function moveGrantFunds(
  tx: Queryable,
  key: { tenantId: string; playerId: string; grantId: string; currency: string },
  delta: number,
): Promise<void> {
  // A take is a plain UPDATE: Postgres checks an INSERT's CHECKs on the proposed row before ON CONFLICT applies.
  if (delta < 0) {
    await tx.query(
      `UPDATE bonus_funds SET minor_units = minor_units + $3, updated_at = now()
        WHERE tenant_id = $1 AND grant_id = $2`,
      [key.tenantId, key.grantId, delta],
    );
    return;
  }
  await tx.query(
    `INSERT INTO bonus_funds (tenant_id, player_id, grant_id, currency, minor_units) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, grant_id) DO UPDATE
       SET minor_units = bonus_funds.minor_units + EXCLUDED.minor_units, updated_at = now()`,
    [key.tenantId, key.playerId, key.grantId, key.currency, delta],
  );
}

/** Every grant of the player that holds bonus money, for the balance answer. */
export async function playerGrantFunds(
  db: Queryable,
  tenantId: string,
  playerId: string,
): Promise<GrantFunds[]> {
  const { rows } = await db.query(
    `SELECT grant_id, minor_units, currency FROM bonus_funds
      WHERE tenant_id = $1 AND player_id = $2 AND minor_units > 0 ORDER BY grant_id`,
    [tenantId, playerId],
  );
  return (rows as Record<string, string>[]).map((row) => ({
    grantId: row['grant_id'] as string,
    minorUnits: minorUnits(row['minor_units'] as string),
    currency: row['currency'] as string,
  }));
}
