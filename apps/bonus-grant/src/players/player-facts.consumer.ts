import { type INestApplicationContext } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, postgresInbox, type Transaction } from '@pitboss/event-store';
import {
  consumerGroupTransport,
  EventsController,
  EventTransaction,
  kafkaEventTransport,
} from '@pitboss/messaging';

import { recordPlayerFact } from './player-facts.handler';

export const PLAYER_FACTS_CONSUMER = 'bonus-grant-facts';

/** The topics the read models are fed from. */
const PLAYER_FACT_SOURCES = [TOPICS.players, TOPICS.responsibleGaming, TOPICS.deposits, TOPICS.promoWagering];

/**
 * The `bonus-grant-facts` consumer group (see `playerFactsTransport`): player profiles (players.v1),
 * responsible-gaming state (rg.v1), first deposits (payments.deposits.v1) and contribution schema versions
 * (promo.wagering.v1) into bonus-grant's read models, each event once (its inbox row in its batch's transaction).
 */
@EventsController()
export class PlayerFactsConsumer {
  // Every type of the four topics: recordPlayerFact keeps the facts, ignores the rest.
  @EventPattern(
    PLAYER_FACT_SOURCES.flatMap((topic) => [...topic.eventTypes]),
    consumerGroupTransport(PLAYER_FACTS_CONSUMER),
  )
  onEvent(@Payload() envelope: EventEnvelope, @EventTransaction() tx: Transaction): Promise<void> {
    return recordPlayerFact(envelope, tx);
  }
}

/** The group's Kafka transport bonus-grant's main connects: retries, DLQ and graceful shutdown of libs/messaging. */
export function playerFactsTransport(app: INestApplicationContext) {
  return kafkaEventTransport<Transaction>(app, {
    groupId: PLAYER_FACTS_CONSUMER,
    topics: PLAYER_FACT_SOURCES.map((topic) => topic.name),
    inbox: postgresInbox(app.get(DATABASE_POOL)),
    // The topics are kept forever: a new schema rebuilds every player from the first event.
    fromBeginning: true,
  });
}
