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
import { DATABASE_POOL, type InboxOutcome, processOnce } from '@pitboss/event-store';
import { type ConsumedEventContext, EventCodec, EventConsumer, KAFKA, TopicNaming } from '@pitboss/messaging';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { GrantEventsHandler } from './grant-events.handler';

export const GRANT_EVENTS_CONSUMER = 'bonus-grant-grants';

export const GRANT_EVENT_TOPICS = [
  TOPICS.deposits.name,
  TOPICS.responsibleGaming.name,
  TOPICS.promoWagering.name,
] as const;

/**
 * The `bonus-grant-grants` consumer group: deposits (grant triggers), self-exclusions (revoke and block) and
 * wagering completions (conversion), each event once (inbox row in the effect's transaction). A group of its own
 * beside the read models' `bonus-grant-facts`, so a slow grant never holds back the facts.
 */
@Injectable()
export class GrantEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(GrantEventsConsumer.name);
  private readonly consumer: EventConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    codec: EventCodec,
    naming: TopicNaming,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly handler: GrantEventsHandler,
  ) {
    this.consumer = new EventConsumer(kafka, codec, naming, {
      groupId: GRANT_EVENTS_CONSUMER,
      topics: [...GRANT_EVENT_TOPICS],
      handler: (envelope, context) => this.handle(envelope, context).then(() => undefined),
      // A self-exclusion of long ago must still block grants on a new schema.
      fromBeginning: true,
      metrics,
    });
  }

  handle(envelope: EventEnvelope, consumed: ConsumedEventContext): Promise<InboxOutcome> {
    return processOnce(
      this.pool,
      {
        consumer: GRANT_EVENTS_CONSUMER,
        eventId: envelope.event_id,
        eventType: envelope.event_type,
        sourceTopic: consumed.topic,
      },
      (tx) => this.handler.handle(envelope, tx),
    );
  }

  onApplicationBootstrap(): void {
    this.consumer.startInBackgroundLogged(this.logger, `${GRANT_EVENT_TOPICS.join(', ')} for grants`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
