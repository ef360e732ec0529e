import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';

import { TOPICS } from '@pitboss/contracts';
import { EventCodec, EventConsumer, KAFKA, TopicNaming } from '@pitboss/messaging';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { NOC_CONFIG, type NocConfig } from '../noc.config';
import { roundFactOf } from './round-facts';
import { RoundWindow } from './round-window';

/**
 * The NOC's own consumer group on `rgs.rounds.v1` and `rgs.settlements.v1`. It starts at the latest offsets
 * (a new group does not replay history: the page shows live traffic) and only counts in memory, so the
 * messaging lib's retries and DLQ are never needed for a bad figure; an undecodable message still goes to the
 * DLQ as for every consumer.
 */
@Injectable()
export class RoundEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RoundEventsConsumer');
  private readonly consumer: EventConsumer;
  private joined = false;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    codec: EventCodec,
    naming: TopicNaming,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    @Inject(NOC_CONFIG) config: NocConfig,
    window: RoundWindow,
  ) {
    this.consumer = new EventConsumer(kafka, codec, naming, {
      groupId: config.consumerGroup,
      topics: [TOPICS.rounds.name, TOPICS.settlements.name],
      handler: async (envelope) => {
        const fact = roundFactOf(envelope);
        if (fact !== null) window.record(fact, Date.now());
      },
      fromBeginning: false,
      metrics,
    });
  }

  /** Whether the group has joined (the page says so until it has). */
  get consuming(): boolean {
    return this.joined;
  }

  onApplicationBootstrap(): void {
    this.consumer.startInBackgroundLogged(this.logger, 'rgs.rounds.v1 and rgs.settlements.v1', () => {
      this.joined = true;
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
