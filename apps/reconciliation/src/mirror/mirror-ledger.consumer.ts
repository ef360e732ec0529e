import { type INestApplicationContext } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type Pool } from 'pg';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import {
  DATABASE_POOL,
  PostgresEventStore,
  postgresInbox,
  processOnce,
  type Transaction,
} from '@pitboss/event-store';
import { EventsController, EventTransaction, kafkaEventTransport } from '@pitboss/messaging';

import { DetectorMetrics } from '../detectors/detector-metrics';
import { watchSettlement } from '../detectors/settlement-watch';
import { expectedMovementOf, type ExpectedMovementRow } from './expected-movement.mapper';

export const RECONCILIATION_CONSUMER = 'reconciliation';

/** Every money topic: bets, settlements, promo grants, and the platform's deposits. */
const MIRRORED = [TOPICS.rounds, TOPICS.settlements, TOPICS.promoGrants, TOPICS.deposits];
export const MIRRORED_TOPICS = MIRRORED.map((topic) => topic.name);
const MIRRORED_EVENT_TYPES = MIRRORED.flatMap((topic) => [...topic.eventTypes]);

export interface MirrorDependencies {
  readonly pool: Pool;
  readonly eventStore: PostgresEventStore;
  readonly metrics?: DetectorMetrics;
}

/**
 * The `reconciliation` consumer group on every money topic (see `mirrorLedgerTransport`): the mirror ledger of what
 * the wallet (and the PSP) should have seen, and the settlement watch of the detectors. Each event is recorded once
 * (its inbox row in its batch's transaction); a key already mirrored keeps its first row, as the wallet keeps the
 * first call of a key.
 */
@EventsController()
export class MirrorLedgerConsumer {
  constructor(
    private readonly eventStore: PostgresEventStore,
    private readonly detectorMetrics: DetectorMetrics,
  ) {}

  // Every type of the four topics: the mapper keeps the money movements, the watch the settlement outcomes.
  @EventPattern(MIRRORED_EVENT_TYPES)
  onMoneyEvent(@Payload() envelope: EventEnvelope, @EventTransaction() tx: Transaction): Promise<void> {
    return mirrorEventIn(tx, { eventStore: this.eventStore, metrics: this.detectorMetrics }, envelope);
  }
}

/** The Kafka transport reconciliation's main connects: retries, DLQ and graceful shutdown of libs/messaging. */
export function mirrorLedgerTransport(app: INestApplicationContext) {
  return kafkaEventTransport<Transaction>(app, {
    groupId: RECONCILIATION_CONSUMER,
    topics: MIRRORED_TOPICS,
    inbox: postgresInbox(app.get(DATABASE_POOL)),
    // The mirror must hold every money event still retained, from the first.
    fromBeginning: true,
    // The detectors compare over minutes: one batch per fetch wait instead of a transaction per event or two.
    delivery: 'background',
  });
}

/** One consumed money event into the mirror and the settlement watch, at most once per event id. */
export async function mirrorEvent(
  deps: MirrorDependencies,
  envelope: EventEnvelope,
  sourceTopic: string,
): Promise<void> {
  await processOnce(
    deps.pool,
    {
      consumer: RECONCILIATION_CONSUMER,
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      sourceTopic,
    },
    (tx) => mirrorEventIn(tx, deps, envelope),
  );
}

/** The effect of one money event, in the caller's transaction (which also records its inbox row). */
export async function mirrorEventIn(
  tx: Transaction,
  deps: Omit<MirrorDependencies, 'pool'>,
  envelope: EventEnvelope,
): Promise<void> {
  const movement = expectedMovementOf(envelope);
  if (movement) await recordExpectedMovement(tx, movement);
  await watchSettlement(tx, deps.eventStore, envelope, deps.metrics);
}

export async function recordExpectedMovement(tx: Transaction, movement: ExpectedMovementRow): Promise<void> {
  await tx.query(
    `INSERT INTO expected_movements (tenant_id, transaction_key, player_id, kind, amount_minor_units, currency,
       occurred_at, subject_id, source_event_id, ledger, game_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (tenant_id, transaction_key) DO NOTHING`,
    [
      movement.tenantId,
      movement.transactionKey,
      movement.playerId,
      movement.kind,
      movement.minorUnits,
      movement.currency,
      movement.occurredAt,
      movement.subjectId,
      movement.sourceEventId,
      movement.ledger,
      movement.gameId,
    ],
  );
}
