import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Kafka } from 'kafkajs';
import { type Pool } from 'pg';
import { type Registry } from 'prom-client';

import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, processOnce } from '@pitboss/event-store';
import { EventCodec, EventConsumer, KAFKA, TopicNaming } from '@pitboss/messaging';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { ReadModelProjector } from '../read-models/read-model.projector';
import { SettlementOutcomeProjector } from './settlement-outcome.projector';

const CONSUMER = 'bet-gateway';

/**
 * What the gateway learns from the bus: settle-worker's outcomes (bet status), bonus grants and responsible-gaming
 * state (read models). Each event is applied once, with its inbox row, in one transaction.
 */
@Injectable()
export class GatewayEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(GatewayEventsConsumer.name);
  private consumer?: EventConsumer;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly codec: EventCodec,
    private readonly naming: TopicNaming,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(METRICS_REGISTRY) private readonly metrics: Registry,
    private readonly settlements: SettlementOutcomeProjector,
    private readonly readModels: ReadModelProjector,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer = new EventConsumer(this.kafka, this.codec, this.naming, {
      groupId: CONSUMER,
      topics: [TOPICS.settlements.name, TOPICS.promoGrants.name, TOPICS.responsibleGaming.name],
      // A new gateway must learn every grant and exclusion, not only the ones after it started.
      fromBeginning: true,
      metrics: this.metrics,
      handler: (envelope, context) => this.handle(envelope, context.topic),
    });
    // Not awaited: after a replica died, joining waits for its session to time out; bets must not wait for that.
    this.consumer.startInBackground({
      onStarted: () => this.logger.log('consuming rgs.settlements.v1, promo.grants.v1 and rg.v1'),
      onFailedAttempt: (attempt, error) =>
        this.logger.warn(
          `consumer start attempt ${attempt} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(envelope: EventEnvelope, topic: string): Promise<void> {
    const message = {
      consumer: CONSUMER,
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      sourceTopic: topic,
    };
    await processOnce(this.pool, message, (tx) =>
      topic === TOPICS.settlements.name
        ? this.settlements.apply(tx, envelope)
        : this.readModels.apply(tx, envelope),
    );
  }
}
