import { type Transaction } from '@pitboss/event-store';
import { type WageringEvent, type WageringState } from '@pitboss/wagering-domain';

/**
 * The read side of a grant's stream, written in the append's transaction: `wagering_grants` (progress and
 * status, and which grants of a player are active for routing) and `wagering_contributions` (the receipts).
 */
export async function projectWagering(
  tx: Transaction,
  tenantId: string,
  state: WageringState,
  events: readonly WageringEvent[],
): Promise<void> {
  const terms = state.terms!;
  for (const event of events) {
    switch (event.type) {
      case 'wagering.started':
        await tx.query(
          `INSERT INTO wagering_grants (tenant_id, grant_id, player_id, status, wagering_base, active_from,
             currency, required_minor, schema_id, schema_version)
           VALUES ($1, $2, $3, 'active', $4, $5, $6, $7, $8, $9)`,
          [
            tenantId,
            terms.grantId,
            terms.playerId,
            terms.base,
            terms.activeFrom,
            terms.required.currency,
            terms.required.minor_units,
            terms.schemaId,
            terms.schemaVersion,
          ],
        );
        break;
      case 'wagering.bet_considered': {
        const { bet, ...receipt } = event.data;
        await tx.query(
          `INSERT INTO wagering_contributions (tenant_id, grant_id, bet_id, bet_at, stake_minor, currency, game_id,
             provider, game_type, funded_by, schema_id, schema_version, rule, pct_bp, contribution_minor, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [
            tenantId,
            terms.grantId,
            bet.betId,
            bet.at,
            bet.stake.minor_units,
            bet.stake.currency,
            bet.gameId,
            bet.provider,
            bet.gameType,
            bet.fundedBy,
            receipt.schema_id,
            receipt.schema_version,
            receipt.rule,
            receipt.pct_bp,
            receipt.contribution.minor_units,
            receipt.reason,
          ],
        );
        break;
      }
      case 'wagering.bet_rolled_back':
        await tx.query(
          `UPDATE wagering_contributions SET rolled_back = true
           WHERE tenant_id = $1 AND grant_id = $2 AND bet_id = $3`,
          [tenantId, terms.grantId, event.data.bet_id],
        );
        break;
      case 'wagering.progressed':
      case 'wagering.completed':
      case 'wagering.reversed':
      case 'wagering.ended':
        break;
    }
  }
  await tx.query(
    `UPDATE wagering_grants SET status = $3, contributed_minor = $4, ended_reason = $5, updated_at = now()
     WHERE tenant_id = $1 AND grant_id = $2`,
    [tenantId, terms.grantId, state.status, state.contributedMinor, state.endedReason],
  );
}
