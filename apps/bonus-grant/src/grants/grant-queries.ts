import { type Pool } from 'pg';

import { type GrantState } from '@pitboss/bonus-domain';

/** A grant as the read API shows it, from its stream's state. */
export function grantView(grantId: string, state: GrantState) {
  const grant = state.grant;
  return {
    grant_id: grantId,
    status: state.status,
    player_id: grant?.player_id ?? null,
    offer_id: grant?.offer_id ?? null,
    offer_version: grant?.offer_version ?? null,
    trigger: grant?.trigger ?? null,
    trigger_ref: grant?.trigger_ref ?? null,
    amount: grant?.amount ?? null,
    credit_balance: grant?.credit_balance ?? null,
    wagering_required: grant?.wagering_required ?? null,
    max_bet: grant?.max_bet ?? null,
    max_win: grant?.max_win ?? null,
    expires_at: grant?.expires_at ?? null,
    wagering_ends_at: grant?.wagering_ends_at ?? null,
    ending: state.ending,
    held_conversion: state.held_conversion,
    converted: state.converted,
    abort_reason: state.abort_reason,
    issued_at: state.issued_at,
    ended_at: state.ended_at,
  };
}

/** The player's grants from the index, newest first (at most 500). */
export async function playerGrants(pool: Pool, tenantId: string, playerId: string) {
  const { rows } = await pool.query(
    `SELECT grant_id, offer_id, offer_version, trigger, trigger_ref, status, amount_minor_units, currency,
            expires_at, created_at
       FROM grants WHERE tenant_id = $1 AND player_id = $2 ORDER BY created_at DESC LIMIT 500`,
    [tenantId, playerId],
  );
  return rows.map((row: Record<string, unknown>) => ({
    grant_id: row['grant_id'],
    offer_id: row['offer_id'],
    offer_version: row['offer_version'],
    trigger: row['trigger'],
    trigger_ref: row['trigger_ref'],
    status: row['status'],
    amount: { minor_units: Number(row['amount_minor_units']), currency: row['currency'] },
    expires_at: (row['expires_at'] as Date).toISOString(),
    created_at: (row['created_at'] as Date).toISOString(),
  }));
}
