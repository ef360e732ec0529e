import { type INestApplicationContext } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, postgresInbox, type Transaction } from '@pitboss/event-store';
import { type ConsumedEvent, EventsController, kafkaEventTransport } from '@pitboss/messaging';

import { WageringMetrics } from './wagering.metrics';
import { WAGERING_CONSUMER, WAGERING_TOPICS, WageringEventsHandler } from './wagering-events.handler';

/**
 * The `wagering-progress` consumer group on rgs.settlements.v1 and promo.grants.v1 (see
 * `wageringEventsTransport`): each event's effect and its inbox row are recorded in its batch's transaction (a
 * redelivered event changes nothing), the effects once the batch's last event was handled. Both topics are keyed by player, so one player's settled bets are counted
 * in order.
 */
@EventsController()
export class WageringEventsConsumer {
  constructor(
    private readonly handler: WageringEventsHandler,
    private readonly metrics: WageringMetrics,
  ) {}

  // Every type of both topics: the handler acts on settled results and grant starts and endings, ignores the rest.
  @EventPattern([...TOPICS.settlements.eventTypes, ...TOPICS.promoGrants.eventTypes])
  onEvent(@Payload() envelope: EventEnvelope, @Ctx() event: ConsumedEvent<Transaction>): void {
    this.handler.handle(event.unit, envelope, event.source.headers['traceparent'] ?? null);
    // Observed once committed: bet.settled's occurred_at (its credit) to its progress recorded.
    if (envelope.event_type === 'bet.settled')
      event.afterCommit(() => this.metrics.recorded(envelope.occurred_at, Date.now()));
  }
}

/** The Kafka transport wagering-progress's main connects: retries, DLQ and graceful shutdown of libs/messaging. */
export function wageringEventsTransport(app: INestApplicationContext) {
  return kafkaEventTransport<Transaction>(app, {
    groupId: WAGERING_CONSUMER,
    topics: [...WAGERING_TOPICS],
    inbox: postgresInbox(app.get(DATABASE_POOL)),
    // Every grant and settled bet still retained counts, from the first.
    fromBeginning: true,
    // No bet waits on its progress: a fetch wait's batch per transaction instead of an event or two.
    delivery: 'background',
  });
}
