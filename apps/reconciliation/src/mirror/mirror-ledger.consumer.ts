import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Kafka } from 'kafkajs';
import { type Pool } from 'pg';
import { type Registry } from 'prom-client';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, PostgresEventStore, processOnce, type Transaction } from '@pitboss/event-store';
import { type ConsumedEventContext, EventCodec, EventConsumer, KAFKA, TopicNaming } from '@pitboss/messaging';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { DetectorMetrics } from '../detectors/detector-metrics';
import { watchSettlement } from '../detectors/settlement-watch';
import { expectedMovementOf, type ExpectedMovementRow } from './expected-movement.mapper';

export const RECONCILIATION_CONSUMER = 'reconciliation';

/** Every money topic: bets, settlements, promo grants, and the platform's deposits. */
export const MIRRORED_TOPICS = [
  TOPICS.rounds.name,
  TOPICS.settlements.name,
  TOPICS.promoGrants.name,
  TOPICS.deposits.name,
];

export interface MirrorDependencies {
  readonly pool: Pool;
  readonly eventStore: PostgresEventStore;
  readonly metrics?: DetectorMetrics;
}

/**
 * The `reconciliation` consumer group on every money topic: the mirror ledger of what the wallet (and the PSP)
 * should have seen, and the settlement watch of the detectors. Each event is recorded once (inbox, same
 * transaction); a key already mirrored keeps its first row, as the wallet keeps the first call of a key.
 */
@Injectable()
export class MirrorLedgerConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MirrorLedgerConsumer.name);
  private readonly consumer: EventConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    codec: EventCodec,
    naming: TopicNaming,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly eventStore: PostgresEventStore,
    private readonly detectorMetrics: DetectorMetrics,
  ) {
    this.consumer = new EventConsumer(kafka, codec, naming, {
      groupId: RECONCILIATION_CONSUMER,
      topics: MIRRORED_TOPICS,
      handler: (envelope, context) => this.handle(envelope, context),
      // The mirror must hold every money event still retained, from the first.
      fromBeginning: true,
      metrics,
    });
  }

  handle(envelope: EventEnvelope, consumed: ConsumedEventContext): Promise<void> {
    return mirrorEvent(
      { pool: this.pool, eventStore: this.eventStore, metrics: this.detectorMetrics },
      envelope,
      consumed.topic,
    );
  }

  // Not awaited: the HTTP probes must not wait for the group join.
  onApplicationBootstrap(): void {
    this.consumer.startInBackground({
      onStarted: () => this.logger.log(`consuming ${MIRRORED_TOPICS.join(', ')} into the mirror ledger`),
      onFailedAttempt: (attempt, error) =>
        this.logger.warn(
          `consumer start attempt ${attempt} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
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
    async (tx) => {
      const movement = expectedMovementOf(envelope);
      if (movement) await recordExpectedMovement(tx, movement);
      await watchSettlement(tx, deps.eventStore, envelope, deps.metrics);
    },
  );
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
