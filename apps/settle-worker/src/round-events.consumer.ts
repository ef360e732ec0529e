import { type INestApplicationContext } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, postgresInbox, type Transaction } from '@pitboss/event-store';
import { type ConsumedEvent, EventsController, kafkaEventTransport } from '@pitboss/messaging';

import { RoundEventsHandler, SETTLE_WORKER_CONSUMER } from './round-events.handler';

/**
 * The `settle-worker` consumer group on `rgs.rounds.v1` (see `roundEventsTransport`): each event the saga acts on
 * is recorded in its batch's transaction, with its inbox row; the other types of the topic are only recorded in
 * the inbox.
 */
@EventsController()
export class RoundEventsConsumer {
  constructor(private readonly handler: RoundEventsHandler) {}

  @EventPattern(['bet.authorized', 'settlement.requested', 'rollback.requested'])
  async onRoundEvent(
    @Payload() envelope: EventEnvelope,
    @Ctx() event: ConsumedEvent<Transaction>,
  ): Promise<void> {
    await this.handler.handle(event.unit, envelope, event.source);
  }
}

/** The Kafka transport settle-worker's main connects: retries, DLQ and graceful shutdown of libs/messaging. */
export function roundEventsTransport(app: INestApplicationContext) {
  return kafkaEventTransport<Transaction>(app, {
    groupId: SETTLE_WORKER_CONSUMER,
    topics: [TOPICS.rounds.name],
    inbox: postgresInbox(app.get(DATABASE_POOL)),
    // A new group starts at the oldest retained round event: none may be skipped on a first deployment.
    fromBeginning: true,
  });
}
