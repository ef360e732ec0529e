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

import { DATABASE_POOL, processOnce } from '@pitboss/event-store';
import { EventCodec, EventConsumer, KAFKA, TopicNaming } from '@pitboss/messaging';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { RoundEventsHandler, SETTLE_WORKER_CONSUMER } from './round-events.handler';

/** The `settle-worker` consumer group on `rgs.rounds.v1`, with the messaging lib's retries and DLQ. */
@Injectable()
export class RoundEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RoundEventsConsumer');
  private readonly consumer: EventConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    codec: EventCodec,
    naming: TopicNaming,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    @Inject(DATABASE_POOL) pool: Pool,
    handler: RoundEventsHandler,
  ) {
    this.consumer = new EventConsumer(kafka, codec, naming, {
      groupId: SETTLE_WORKER_CONSUMER,
      topics: [handler.topic],
      handler: async (envelope, context) => {
        let committed = (): void => undefined;
        const message = {
          consumer: SETTLE_WORKER_CONSUMER,
          eventId: envelope.event_id,
          eventType: envelope.event_type,
          sourceTopic: context.topic,
        };
        await processOnce(pool, message, async (tx) => {
          committed = await handler.handle(tx, envelope, context);
        });
        committed();
      },
      // A new group starts at the oldest retained round event: none may be skipped on a first deployment.
      fromBeginning: true,
      metrics,
    });
  }

  // Not awaited: the HTTP probes and the timer loop, which resume unfinished sagas, must not wait for the join.
  onApplicationBootstrap(): void {
    this.consumer.startInBackground({
      onStarted: () => this.logger.log('consuming rgs.rounds.v1'),
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
