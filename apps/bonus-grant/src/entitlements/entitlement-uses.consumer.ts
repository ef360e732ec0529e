import { type INestApplicationContext } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, type RgsRoundsPayloads, TOPICS } from '@pitboss/contracts';
import { DATABASE_POOL, postgresInbox, type Transaction } from '@pitboss/event-store';
import {
  consumerGroupTransport,
  EventsController,
  EventTransaction,
  kafkaEventTransport,
} from '@pitboss/messaging';

export const ENTITLEMENT_USES_CONSUMER = 'bonus-grant-entitlements';

const USE_TYPES = ['entitlement.consumed', 'entitlement.restored'];

/**
 * The `bonus-grant-entitlements` group reads bet-gateway's rgs.rounds.v1 for what it did with entitlements (see
 * `entitlementUsesTransport`): `entitlement.consumed` and `entitlement.restored` carry the tokens left after them,
 * which become the entitlement's `remaining` (each once, inbox row in the batch's transaction). One player's events
 * are in order on one partition, and the gateway serialises one entitlement's uses on its row, so the latest one
 * read is the count.
 */
@EventsController()
export class EntitlementUsesConsumer {
  @EventPattern(USE_TYPES, consumerGroupTransport(ENTITLEMENT_USES_CONSUMER))
  async onUse(@Payload() envelope: EventEnvelope, @EventTransaction() tx: Transaction): Promise<void> {
    const use = envelope.payload as unknown as RgsRoundsPayloads['entitlement.consumed'];
    await tx.query(
      `UPDATE entitlements SET remaining = LEAST(GREATEST($3, 0), count)
        WHERE tenant_id = $1 AND entitlement_id = $2`,
      [envelope.tenant_id, use.entitlement_id, use.remaining],
    );
  }
}

/** The group's Kafka transport bonus-grant's main connects: retries, DLQ and graceful shutdown of libs/messaging. */
export function entitlementUsesTransport(app: INestApplicationContext) {
  return kafkaEventTransport<Transaction>(app, {
    groupId: ENTITLEMENT_USES_CONSUMER,
    topics: [TOPICS.rounds.name],
    inbox: postgresInbox(app.get(DATABASE_POOL)),
    // Every other bet event is skipped before the inbox: bonus-grant keeps no trace of ordinary bets.
    selects: (envelope) => USE_TYPES.includes(envelope.event_type),
    fromBeginning: true,
    // A read model of the gateway's own count: nobody waits on it, one batch per fetch wait.
    delivery: 'background',
  });
}
