import { type INestApplicationContext } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, postgresInbox, type Transaction } from '@pitboss/event-store';
import {
  type ConsumedEvent,
  EventsController,
  EventTransaction,
  kafkaEventTransport,
} from '@pitboss/messaging';

import { ReadModelProjector } from '../read-models/read-model.projector';
import { SettlementOutcomeProjector } from './settlement-outcome.projector';

const CONSUMER = 'bet-gateway';

/**
 * What the gateway learns from the bus: settle-worker's outcomes (bet status), bonus grants and responsible-gaming
 * state (read models). Each event is applied once, with its inbox row, in its batch's transaction.
 */
@EventsController()
export class GatewayEventsConsumer {
  constructor(
    private readonly settlements: SettlementOutcomeProjector,
    private readonly readModels: ReadModelProjector,
  ) {}

  @EventPattern([...TOPICS.settlements.eventTypes])
  onSettlementOutcome(@Payload() envelope: EventEnvelope, @Ctx() event: ConsumedEvent<Transaction>): void {
    this.settlements.apply(event.unit, envelope);
  }

  // Every type of both topics: the projector keeps what its read models need and ignores the rest.
  @EventPattern([...TOPICS.promoGrants.eventTypes, ...TOPICS.responsibleGaming.eventTypes])
  async onReadModelEvent(
    @Payload() envelope: EventEnvelope,
    @EventTransaction() tx: Transaction,
  ): Promise<void> {
    await this.readModels.apply(tx, envelope);
  }
}

/** The Kafka transport bet-gateway's main connects: retries, DLQ and graceful shutdown of libs/messaging. */
export function gatewayEventsTransport(app: INestApplicationContext) {
  return kafkaEventTransport<Transaction>(app, {
    groupId: CONSUMER,
    topics: [TOPICS.settlements.name, TOPICS.promoGrants.name, TOPICS.responsibleGaming.name],
    inbox: postgresInbox(app.get(DATABASE_POOL)),
    // A new gateway must learn every grant and exclusion, not only the ones after it started.
    fromBeginning: true,
  });
}
