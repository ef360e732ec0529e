import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';

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
    handler: RoundEventsHandler,
  ) {
    this.consumer = new EventConsumer(kafka, codec, naming, {
      groupId: SETTLE_WORKER_CONSUMER,
      topics: [handler.topic],
      handler: (envelope, context) => handler.handle(envelope, context),
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
