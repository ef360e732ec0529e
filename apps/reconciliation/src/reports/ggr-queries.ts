import { type Pool } from 'pg';

import {
  type BonusMovements,
  dayWindow,
  type GameMovements,
  type GgrReport,
  ggrReport,
} from '@pitboss/reconciliation-domain';

/**
 * The day's bet and promo movements of a tenant from the mirror ledger alone (never another service's
 * database): bet movements by game (a credit without a game takes its debit's), a rollback only when its debit
 * is expected (as the runs count it), conversions by currency.
 */
export async function ggrReportOf(pool: Pool, tenantId: string, date: string): Promise<GgrReport> {
  const window = dayWindow(date);
  const range = [tenantId, new Date(window.start), new Date(window.end)];
  const games = await pool.query<Record<string, unknown>>(
    `WITH bet_movements AS (
       SELECT m.kind, m.amount_minor_units, m.currency, m.subject_id,
              coalesce(m.game_id, d.game_id, '(unknown)') AS game_id, d.subject_id IS NOT NULL AS debited
         FROM expected_movements m
         LEFT JOIN expected_movements d
           ON d.tenant_id = m.tenant_id AND d.subject_id = m.subject_id AND d.kind = 'debit'
        WHERE m.tenant_id = $1 AND m.ledger = 'wallet' AND m.kind IN ('debit', 'credit', 'rollback')
          AND m.transaction_key LIKE 'bet:%' AND m.occurred_at >= $2 AND m.occurred_at < $3)
     SELECT game_id, currency,
            count(*) FILTER (WHERE kind = 'debit')::bigint AS bets,
            coalesce(sum(amount_minor_units) FILTER (WHERE kind = 'debit'), 0) AS debited,
            coalesce(sum(amount_minor_units) FILTER (WHERE kind = 'rollback' AND debited), 0) AS rolled_back,
            coalesce(sum(amount_minor_units) FILTER (WHERE kind = 'credit'), 0) AS credited
       FROM bet_movements GROUP BY game_id, currency`,
    range,
  );
  const bonuses = await pool.query<Record<string, unknown>>(
    `SELECT currency, sum(amount_minor_units) AS converted FROM expected_movements
      WHERE tenant_id = $1 AND kind = 'convert' AND occurred_at >= $2 AND occurred_at < $3 GROUP BY currency`,
    range,
  );
  return ggrReport(
    tenantId,
    date,
    games.rows.map((row): GameMovements => ({
      gameId: row['game_id'] as string,
      currency: String(row['currency']).trim(),
      bets: Number(row['bets']),
      debited: Number(row['debited']),
      rolledBack: Number(row['rolled_back']),
      credited: Number(row['credited']),
    })),
    bonuses.rows.map((row): BonusMovements => ({
      currency: String(row['currency']).trim(),
      converted: Number(row['converted']),
    })),
  );
}
