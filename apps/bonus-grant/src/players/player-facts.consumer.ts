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

import { recordPlayerFact } from './player-facts.handler';

export const PLAYER_FACTS_CONSUMER = 'bonus-grant-facts';

/** The topics the read models are fed from. */
export const PLAYER_FACT_TOPICS = [
  TOPICS.players.name,
  TOPICS.responsibleGaming.name,
  TOPICS.deposits.name,
  TOPICS.promoWagering.name,
] as const;

/**
 * The `bonus-grant-facts` consumer group: player profiles (players.v1), responsible-gaming state (rg.v1), first
 * deposits (payments.deposits.v1) and contribution schema versions (promo.wagering.v1) into bonus-grant's read
 * models, each event once (inbox row in the effect's transaction). From the beginning: the topics are kept
 * forever, so a new schema rebuilds every player.
 */
@Injectable()
export class PlayerFactsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlayerFactsConsumer.name);
  private readonly consumer: EventConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    codec: EventCodec,
    naming: TopicNaming,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
  ) {
    this.consumer = new EventConsumer(kafka, codec, naming, {
      groupId: PLAYER_FACTS_CONSUMER,
      topics: [...PLAYER_FACT_TOPICS],
      handler: (envelope, context) => this.handle(envelope, context).then(() => undefined),
      fromBeginning: true,
      metrics,
    });
  }

  handle(envelope: EventEnvelope, consumed: ConsumedEventContext): Promise<InboxOutcome> {
    return consumePlayerFact(this.pool, envelope, consumed.topic);
  }

  // Not awaited: the HTTP probes must not wait for the group join.
  onApplicationBootstrap(): void {
    this.consumer.startInBackgroundLogged(
      this.logger,
      `${PLAYER_FACT_TOPICS.join(', ')} into the player read models`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}

/** One consumed fact into the read models, at most once per event id. */
export function consumePlayerFact(
  pool: Pool,
  envelope: EventEnvelope,
  sourceTopic: string,
): Promise<InboxOutcome> {
  return processOnce(
    pool,
    {
      consumer: PLAYER_FACTS_CONSUMER,
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      sourceTopic,
    },
    (tx) => recordPlayerFact(envelope, tx),
  );
}
