import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Kafka } from 'kafkajs';
import { type Pool } from 'pg';
import { type Registry } from 'prom-client';

import { type EventEnvelope } from '@pitboss/contracts';
import { DATABASE_POOL, processOnce } from '@pitboss/event-store';
import { type ConsumedEventContext, EventCodec, EventConsumer, KAFKA, TopicNaming } from '@pitboss/messaging';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { WageringMetrics } from './wagering.metrics';
import { WAGERING_CONSUMER, WAGERING_TOPICS, WageringEventsHandler } from './wagering-events.handler';

/**
 * The `wagering-progress` consumer group on rgs.settlements.v1 and promo.grants.v1: each event's effect and its
 * inbox row commit in one transaction (a redelivered event changes nothing). Both topics are keyed by player, so
 * one player's settled bets are counted in order.
 */
@Injectable()
export class WageringEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WageringEventsConsumer.name);
  private readonly consumer: EventConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    codec: EventCodec,
    naming: TopicNaming,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly handler: WageringEventsHandler,
    private readonly wageringMetrics: WageringMetrics,
  ) {
    this.consumer = new EventConsumer(kafka, codec, naming, {
      groupId: WAGERING_CONSUMER,
      topics: [...WAGERING_TOPICS],
      handler: (envelope, context) => this.handle(envelope, context),
      // Every grant and settled bet still retained counts, from the first.
      fromBeginning: true,
      metrics,
    });
  }

  async handle(envelope: EventEnvelope, consumed: ConsumedEventContext): Promise<void> {
    await processOnce(
      this.pool,
      {
        consumer: WAGERING_CONSUMER,
        eventId: envelope.event_id,
        eventType: envelope.event_type,
        sourceTopic: consumed.topic,
      },
      (tx) => this.handler.handle(envelope, tx, consumed.headers['traceparent'] ?? null),
    );
    // Observed once committed: bet.settled's occurred_at (its credit) to its progress recorded.
    if (envelope.event_type === 'bet.settled')
      this.wageringMetrics.recorded(envelope.occurred_at, Date.now());
  }

  // Not awaited: the HTTP probes must not wait for the group join.
  onApplicationBootstrap(): void {
    this.consumer.startInBackground({
      onStarted: () => this.logger.log('consuming rgs.settlements.v1 and promo.grants.v1'),
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
