import { type INestApplicationContext } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type Pool } from 'pg';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import {
  DATABASE_POOL,
  PostgresEventStore,
  postgresInbox,
  processOnce,
  type Transaction,
} from '@pitboss/event-store';
import {
  type ConsumedEvent,
  EventsController,
  kafkaEventTransport,
  PerUnitBatches,
} from '@pitboss/messaging';

import { DetectorMetrics } from '../detectors/detector-metrics';
import { MirrorBatch, type MirrorWriters } from './mirror-batch';

export const RECONCILIATION_CONSUMER = 'reconciliation';

/** Every money topic: bets, settlements, promo grants, and the platform's deposits. */
const MIRRORED = [TOPICS.rounds, TOPICS.settlements, TOPICS.promoGrants, TOPICS.deposits];
export const MIRRORED_TOPICS = MIRRORED.map((topic) => topic.name);
const MIRRORED_EVENT_TYPES = MIRRORED.flatMap((topic) => [...topic.eventTypes]);

export interface MirrorDependencies extends MirrorWriters {
  readonly pool: Pool;
}

/**
 * The `reconciliation` consumer group on every money topic (see `mirrorLedgerTransport`): the mirror ledger of what
 * the wallet (and the PSP) should have seen, and the settlement watch of the detectors. Each event is recorded once
 * (its inbox row in its batch's transaction, its rows written with the batch's, see MirrorBatch); a key already
 * mirrored keeps its first row, as the wallet keeps the first call of a key.
 */
@EventsController()
export class MirrorLedgerConsumer {
  constructor(
    private readonly eventStore: PostgresEventStore,
    private readonly detectorMetrics: DetectorMetrics,
  ) {}

  /** Each transaction's events, written once its last handler ran. */
  private readonly batches = new PerUnitBatches<Transaction, MirrorBatch>(
    () => new MirrorBatch({ eventStore: this.eventStore, metrics: this.detectorMetrics }),
    (batch, tx) => batch.write(tx),
  );

  // Every type of the four topics: the mapper keeps the money movements, the watch the settlement outcomes.
  @EventPattern(MIRRORED_EVENT_TYPES)
  onMoneyEvent(@Payload() envelope: EventEnvelope, @Ctx() event: ConsumedEvent<Transaction>): void {
    this.batches.of(event.unit).add(envelope);
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
  writers: MirrorWriters,
  envelope: EventEnvelope,
): Promise<void> {
  const batch = new MirrorBatch(writers);
  batch.add(envelope);
  await batch.write(tx);
}
