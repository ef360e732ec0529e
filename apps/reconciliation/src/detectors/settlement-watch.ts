import {
  type BetSettled,
  type EventEnvelope,
  type SettlementCompensated,
  type SettlementRequested,
} from '@pitboss/contracts';
import { type PostgresEventStore, type Transaction } from '@pitboss/event-store';
import { walletKeys } from '@pitboss/wallet-client';

import { raiseDetectorAlert } from './detector-alerts';
import { type DetectorMetrics } from './detector-metrics';

// One statement per event: the bet's row is created by whichever of its events comes first (a partition's order
// holds per player, but bet.settled and settlement.requested travel on different topics), and keeps its first
// player_id.
const REQUESTED = `INSERT INTO settlement_watch AS w (tenant_id, bet_id, player_id, requested_at, win_minor_units, currency)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (tenant_id, bet_id) DO UPDATE
    SET requested_at = least(coalesce(w.requested_at, EXCLUDED.requested_at), EXCLUDED.requested_at),
        win_minor_units = EXCLUDED.win_minor_units, currency = EXCLUDED.currency`;
const SETTLED = `INSERT INTO settlement_watch AS w (tenant_id, bet_id, player_id, settled_count) VALUES ($1, $2, $3, 1)
  ON CONFLICT (tenant_id, bet_id) DO UPDATE SET settled_count = w.settled_count + 1
  RETURNING settled_count`;
const COMPENSATED = `INSERT INTO settlement_watch AS w (tenant_id, bet_id, player_id, compensated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (tenant_id, bet_id) DO UPDATE SET compensated_at = coalesce(w.compensated_at, EXCLUDED.compensated_at)`;

/**
 * The settlement watch of one consumed event, in the mirror's transaction: settlement.requested starts the
 * clock (settlement_unresolved is raised later by OverdueSettlementDetector), bet.settled counts (the second
 * raises settled_twice at once), settlement.compensated closes it. Each event reaches here once (inbox).
 */
export async function watchSettlement(
  tx: Transaction,
  eventStore: PostgresEventStore,
  envelope: EventEnvelope,
  metrics?: DetectorMetrics,
): Promise<void> {
  const tenantId = envelope.tenant_id;
  const playerId = envelope.player_id ?? '';
  switch (envelope.event_type) {
    case 'settlement.requested': {
      const requested = envelope.payload as unknown as SettlementRequested;
      await tx.query(REQUESTED, [
        tenantId,
        requested.bet_id,
        playerId,
        new Date(envelope.occurred_at),
        requested.win.minor_units,
        requested.win.currency,
      ]);
      return;
    }
    case 'bet.settled': {
      const settled = envelope.payload as unknown as BetSettled;
      const { rows } = await tx.query<{ settled_count: number }>(SETTLED, [
        tenantId,
        settled.bet_id,
        playerId,
      ]);
      if ((rows[0]?.settled_count ?? 0) >= 2)
        await raiseDetectorAlert(
          tx,
          eventStore,
          {
            detector: 'settled_twice',
            tenantId,
            playerId,
            transactionKey: walletKeys.credit(tenantId, settled.bet_id),
            kind: 'credit',
            expectedMinorUnits: settled.win.minor_units,
            actualMinorUnits: settled.win.minor_units,
            currency: settled.win.currency,
            reportDate: new Date(envelope.occurred_at).toISOString().slice(0, 10),
          },
          metrics,
        );
      return;
    }
    case 'settlement.compensated': {
      const compensated = envelope.payload as unknown as SettlementCompensated;
      await tx.query(COMPENSATED, [tenantId, compensated.bet_id, playerId, new Date(envelope.occurred_at)]);
      return;
    }
    default:
      return;
  }
}

/** Of these bets, the ones whose settlement was compensated (the wallet was believed not to have credited). */
export async function compensatedBets(
  tx: Pick<Transaction, 'query'>,
  tenantId: string,
  betIds: readonly string[],
): Promise<Set<string>> {
  if (betIds.length === 0) return new Set();
  const { rows } = await tx.query<{ bet_id: string }>(
    `SELECT bet_id FROM settlement_watch WHERE tenant_id = $1 AND bet_id = ANY($2) AND compensated_at IS NOT NULL`,
    [tenantId, [...betIds]],
  );
  return new Set(rows.map((row) => row.bet_id));
}
