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

import { type EventEnvelope, type RgsRoundsPayloads, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, processOnce } from '@pitboss/event-store';
import { type ConsumedEventContext, EventCodec, EventConsumer, KAFKA, TopicNaming } from '@pitboss/messaging';
import { METRICS_REGISTRY } from '@pitboss/observability';

export const ENTITLEMENT_USES_CONSUMER = 'bonus-grant-entitlements';

const USE_TYPES: ReadonlySet<string> = new Set(['entitlement.consumed', 'entitlement.restored']);

/**
 * The `bonus-grant-entitlements` group reads bet-gateway's rgs.rounds.v1 for what it did with entitlements:
 * `entitlement.consumed` and `entitlement.restored` carry the tokens left after them, which become the
 * entitlement's `remaining` (each once, inbox row in the update's transaction). One player's events are in order on
 * one partition, and the gateway serialises one entitlement's uses on its row, so the latest one read is the count.
 * Every other bet event is skipped before the inbox: bonus-grant keeps no trace of ordinary bets.
 */
@Injectable()
export class EntitlementUsesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EntitlementUsesConsumer.name);
  private readonly consumer: EventConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    codec: EventCodec,
    naming: TopicNaming,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
  ) {
    this.consumer = new EventConsumer(kafka, codec, naming, {
      groupId: ENTITLEMENT_USES_CONSUMER,
      topics: [TOPICS.rounds.name],
      handler: (envelope, context) => this.handle(envelope, context),
      fromBeginning: true,
      // A read model of the gateway's own count: nobody waits on it, one batch per fetch wait.
      delivery: 'background',
      metrics,
    });
  }

  async handle(envelope: EventEnvelope, consumed: ConsumedEventContext): Promise<void> {
    if (!USE_TYPES.has(envelope.event_type)) return;
    const use = envelope.payload as unknown as RgsRoundsPayloads['entitlement.consumed'];
    await processOnce(
      this.pool,
      {
        consumer: ENTITLEMENT_USES_CONSUMER,
        eventId: envelope.event_id,
        eventType: envelope.event_type,
        sourceTopic: consumed.topic,
      },
      async (tx) => {
        await tx.query(
          `UPDATE entitlements SET remaining = LEAST(GREATEST($3, 0), count)
            WHERE tenant_id = $1 AND entitlement_id = $2`,
          [envelope.tenant_id, use.entitlement_id, use.remaining],
        );
      },
    );
  }

  onApplicationBootstrap(): void {
    this.consumer.startInBackgroundLogged(this.logger, `${TOPICS.rounds.name} for entitlement uses`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
