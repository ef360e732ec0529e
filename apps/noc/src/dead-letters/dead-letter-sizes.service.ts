import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Admin, type Kafka } from 'kafkajs';

import { ALL_TOPICS } from '@pitboss/contracts';
import { KAFKA, TopicNaming } from '@pitboss/messaging';

import { NOC_CONFIG, type NocConfig } from '../noc.config';

export interface DeadLetterSize {
  /** The logical topic whose dead letters these are (`rgs.rounds.v1`). */
  readonly topic: string;
  /** Messages retained on its `.dlq` (high minus low watermark, summed over partitions); null: unknown. */
  readonly messages: number | null;
}

/**
 * The size of every topic's `.dlq`, read from the broker's offsets (no message is consumed, no service asked).
 * Dead letters are kept forever, so this is the number of messages nobody has handled yet.
 */
@Injectable()
export class DeadLetterSizes implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterSizes.name);
  private readonly admin: Admin;
  private sizes: DeadLetterSize[] = ALL_TOPICS.map((topic) => ({ topic: topic.name, messages: null }));
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    private readonly naming: TopicNaming,
    @Inject(NOC_CONFIG) private readonly config: NocConfig,
  ) {
    this.admin = kafka.admin();
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running = this.refresh().finally(() => {
        this.running = undefined;
        this.timer = setTimeout(tick, this.config.scrapeIntervalMs);
      });
    };
    tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
    clearTimeout(this.timer);
    await this.admin.disconnect();
  }

  current(): readonly DeadLetterSize[] {
    return this.sizes;
  }

  private async refresh(): Promise<void> {
    try {
      await this.admin.connect();
      this.sizes = await Promise.all(
        ALL_TOPICS.map(async (topic) => {
          const offsets = await this.admin.fetchTopicOffsets(this.naming.deadLetter(topic.name));
          const messages = offsets.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
          return { topic: topic.name, messages };
        }),
      );
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`dead-letter offsets unavailable: ${String(error)}`);
      this.failing = true;
      this.sizes = this.sizes.map((size) => ({ ...size, messages: null }));
    }
  }
}
