import { type Context, context } from '@opentelemetry/api';

import {
  type BetSettled,
  type EventEnvelope,
  type SettlementCompensated,
  type SettlementRequested,
} from '@pitboss/contracts';
import { type PostgresEventStore, type Transaction } from '@pitboss/event-store';
import { walletKeys } from '@pitboss/wallet-client';

import { type DetectorAlert, raiseDetectorAlert } from './detector-alerts';
import { type DetectorMetrics } from './detector-metrics';

/**
 * One row per bet of a batch: the bet's row is created by whichever of its events comes first (a partition's
 * order holds per player, but bet.settled and settlement.requested travel on different topics) and keeps its
 * first player_id. A request moves the clock to its earliest request and sets the win to the latest one's;
 * settlements add to the count; the first compensation stays. RETURNING the count after the batch.
 */
const WATCHED = `INSERT INTO settlement_watch AS w
    (tenant_id, bet_id, player_id, requested_at, win_minor_units, currency, settled_count, compensated_at)
  SELECT tenant_id, bet_id, player_id, requested_at, win_minor_units, currency, settled_count, compensated_at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::text[],
                $7::int[], $8::timestamptz[])
      AS batch(tenant_id, bet_id, player_id, requested_at, win_minor_units, currency, settled_count, compensated_at)
  ON CONFLICT (tenant_id, bet_id) DO UPDATE
    SET requested_at = least(w.requested_at, EXCLUDED.requested_at),
        win_minor_units = CASE WHEN EXCLUDED.requested_at IS NULL THEN w.win_minor_units ELSE EXCLUDED.win_minor_units END,
        currency = CASE WHEN EXCLUDED.requested_at IS NULL THEN w.currency ELSE EXCLUDED.currency END,
        settled_count = w.settled_count + EXCLUDED.settled_count,
        compensated_at = coalesce(w.compensated_at, EXCLUDED.compensated_at)
  RETURNING tenant_id, bet_id, settled_count`;

/** What a batch's events change of one bet's watch row, folded in their order. */
interface WatchChange {
  readonly tenantId: string;
  readonly betId: string;
  readonly playerId: string;
  requestedAt: Date | null;
  win: { readonly minor_units: number; readonly currency: string } | null;
  /**
   * One per bet.settled event of the batch, in order: the alert the event raises if it settles the bet twice,
   * with the context of the event's span, which the alert is raised in.
   */
  readonly settled: { readonly alert: DetectorAlert; readonly traced: Context }[];
  compensatedAt: Date | null;
}

/**
 * The settlement watch of a batch of consumed events, written once, in one statement, before its transaction commits:
 * settlement.requested starts the clock (settlement_unresolved is raised later by OverdueSettlementDetector),
 * bet.settled counts (each one past the first raises settled_twice at once), settlement.compensated closes it.
 * Each event reaches here once (inbox). ON CONFLICT cannot touch a row twice in one statement, so a bet's events
 * are folded here first.
 */
export class SettlementWatchBatch {
  private readonly changes = new Map<string, WatchChange>();

  add(envelope: EventEnvelope): void {
    switch (envelope.event_type) {
      case 'settlement.requested': {
        const requested = envelope.payload as unknown as SettlementRequested;
        const change = this.changeOf(envelope, requested.bet_id);
        const at = new Date(envelope.occurred_at);
        if (change.requestedAt === null || at < change.requestedAt) change.requestedAt = at;
        change.win = requested.win;
        return;
      }
      case 'bet.settled': {
        const settled = envelope.payload as unknown as BetSettled;
        const tenantId = envelope.tenant_id;
        const alert: DetectorAlert = {
          detector: 'settled_twice',
          tenantId,
          playerId: envelope.player_id ?? '',
          transactionKey: walletKeys.credit(tenantId, settled.bet_id),
          kind: 'credit',
          expectedMinorUnits: settled.win.minor_units,
          actualMinorUnits: settled.win.minor_units,
          currency: settled.win.currency,
          reportDate: new Date(envelope.occurred_at).toISOString().slice(0, 10),
        };
        // Raised after the batch's last handler, out of this event's span: the alert's event joins the trace of
        // the settlement that found the bet settled already, as when it was raised in its handler.
        this.changeOf(envelope, settled.bet_id).settled.push({ alert, traced: context.active() });
        return;
      }
      case 'settlement.compensated': {
        const compensated = envelope.payload as unknown as SettlementCompensated;
        const change = this.changeOf(envelope, compensated.bet_id);
        change.compensatedAt ??= new Date(envelope.occurred_at);
        return;
      }
      default:
        return;
    }
  }

  async write(tx: Transaction, eventStore: PostgresEventStore, metrics?: DetectorMetrics): Promise<void> {
    const changes = [...this.changes.values()];
    if (changes.length === 0) return;
    const { rows } = await tx.query<{ tenant_id: string; bet_id: string; settled_count: number }>(WATCHED, [
      changes.map((change) => change.tenantId),
      changes.map((change) => change.betId),
      changes.map((change) => change.playerId),
      changes.map((change) => change.requestedAt),
      changes.map((change) => change.win?.minor_units ?? null),
      changes.map((change) => change.win?.currency ?? null),
      changes.map((change) => change.settled.length),
      changes.map((change) => change.compensatedAt),
    ]);
    for (const row of rows) {
      const { settled } = this.changes.get(keyOf(row.tenant_id, row.bet_id)) ?? { settled: [] };
      // The count each settlement left, in order: every one that found the bet settled already raises.
      const countBefore = row.settled_count - settled.length;
      for (const [index, { alert, traced }] of settled.entries())
        if (countBefore + index + 1 >= 2)
          await context.with(traced, () => raiseDetectorAlert(tx, eventStore, alert, metrics));
    }
  }

  private changeOf(envelope: EventEnvelope, betId: string): WatchChange {
    const key = keyOf(envelope.tenant_id, betId);
    const known = this.changes.get(key);
    if (known) return known;
    const change: WatchChange = {
      tenantId: envelope.tenant_id,
      betId,
      playerId: envelope.player_id ?? '',
      requestedAt: null,
      win: null,
      settled: [],
      compensatedAt: null,
    };
    this.changes.set(key, change);
    return change;
  }
}

function keyOf(tenantId: string, betId: string): string {
  return JSON.stringify([tenantId, betId]);
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
