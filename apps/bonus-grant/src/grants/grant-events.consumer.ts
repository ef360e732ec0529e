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

import { GrantEventsHandler } from './grant-events.handler';

export const GRANT_EVENTS_CONSUMER = 'bonus-grant-grants';

const GRANT_EVENT_SOURCES = [TOPICS.deposits, TOPICS.responsibleGaming, TOPICS.promoWagering];
const GRANT_EVENT_TOPICS = GRANT_EVENT_SOURCES.map((topic) => topic.name);

/**
 * The `bonus-grant-grants` consumer group (see `grantEventsTransport`): deposits (grant triggers), self-exclusions
 * (revoke and block) and wagering completions (conversion), each event once (its inbox row in the effect's
 * transaction, one event per transaction). A group of its own beside the read models' `bonus-grant-facts`, so a slow grant never holds back
 * the facts.
 */
@EventsController()
export class GrantEventsConsumer {
  constructor(private readonly handler: GrantEventsHandler) {}

  // Every type of the three topics: the handler acts on deposits, exclusions and completions, ignores the rest.
  @EventPattern(
    GRANT_EVENT_SOURCES.flatMap((topic) => [...topic.eventTypes]),
    consumerGroupTransport(GRANT_EVENTS_CONSUMER),
  )
  onEvent(@Payload() envelope: EventEnvelope, @EventTransaction() tx: Transaction): Promise<void> {
    return this.handler.handle(envelope, tx);
  }
}

/** The group's Kafka transport bonus-grant's main connects: retries, DLQ and graceful shutdown of libs/messaging. */
export function grantEventsTransport(app: INestApplicationContext) {
  return kafkaEventTransport<Transaction>(app, {
    groupId: GRANT_EVENTS_CONSUMER,
    topics: GRANT_EVENT_TOPICS,
    inbox: postgresInbox(app.get(DATABASE_POOL)),
    // A self-exclusion of long ago must still block grants on a new schema.
    fromBeginning: true,
    // One transaction per event: a deposit's grants lock the player's and the budget offer's rows, which API
    // grants and the saga's steps wait on; a batch would hold them until its last event (bench:grants: 55–61 → 39–41
    // grants/s, API → credited p50 1.5 → 4.1 s with batches of the burst's size).
    maxBatchSize: 1,
  });
}
