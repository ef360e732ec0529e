import { type EventEnvelope } from '@pitboss/contracts';
import { type PostgresEventStore, type Transaction } from '@pitboss/event-store';

import { type DetectorMetrics } from '../detectors/detector-metrics';
import { SettlementWatchBatch } from '../detectors/settlement-watch';
import { expectedMovementOf, type ExpectedMovementRow } from './expected-movement.mapper';

export interface MirrorWriters {
  readonly eventStore: PostgresEventStore;
  readonly metrics?: DetectorMetrics;
}

/**
 * What the mirror records of a unit of consumed money events, gathered over its events and written before its
 * transaction commits: the expected movements in one statement and the settlement watch in another, however many
 * events the unit holds (one or two statements per event otherwise). Written once: a batch is its unit's alone.
 */
export class MirrorBatch {
  private readonly movements: ExpectedMovementRow[] = [];
  private readonly watch = new SettlementWatchBatch();

  constructor(private readonly writers: MirrorWriters) {}

  add(envelope: EventEnvelope): void {
    const movement = expectedMovementOf(envelope);
    if (movement) this.movements.push(movement);
    this.watch.add(envelope);
  }

  async write(tx: Transaction): Promise<void> {
    await recordExpectedMovements(tx, this.movements);
    await this.watch.write(tx, this.writers.eventStore, this.writers.metrics);
  }
}

/**
 * A key already mirrored keeps its first row, as the wallet keeps the first call of a key; so does a key twice in
 * the batch (its first row is inserted first, the second then conflicts).
 */
export async function recordExpectedMovements(
  tx: Transaction,
  movements: readonly ExpectedMovementRow[],
): Promise<void> {
  if (movements.length === 0) return;
  await tx.query(
    `INSERT INTO expected_movements (tenant_id, transaction_key, player_id, kind, amount_minor_units, currency,
       occurred_at, subject_id, source_event_id, ledger, game_id)
     SELECT tenant_id, transaction_key, player_id, kind, amount_minor_units, currency, occurred_at, subject_id,
            source_event_id, ledger, game_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                   $7::timestamptz[], $8::text[], $9::uuid[], $10::text[], $11::text[]) WITH ORDINALITY
       AS batch(tenant_id, transaction_key, player_id, kind, amount_minor_units, currency, occurred_at,
                subject_id, source_event_id, ledger, game_id, position)
      ORDER BY position
     ON CONFLICT (tenant_id, transaction_key) DO NOTHING`,
    [
      movements.map((movement) => movement.tenantId),
      movements.map((movement) => movement.transactionKey),
      movements.map((movement) => movement.playerId),
      movements.map((movement) => movement.kind),
      movements.map((movement) => movement.minorUnits),
      movements.map((movement) => movement.currency),
      movements.map((movement) => movement.occurredAt),
      movements.map((movement) => movement.subjectId),
      movements.map((movement) => movement.sourceEventId),
      movements.map((movement) => movement.ledger),
      movements.map((movement) => movement.gameId),
    ],
  );
}
