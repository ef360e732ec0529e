import { randomUUID } from 'node:crypto';

import { type EventEnvelope, messageKeyOf } from '@pitboss/contracts';
import { EventPublisher } from '@pitboss/messaging';

import { type TestTopics } from './test-topics';

export interface TestEventInput {
  readonly topic: string;
  readonly eventType: string;
  readonly tenantId: string;
  readonly playerId: string;
  readonly payload: Record<string, unknown>;
  readonly eventId?: string;
}

/** An envelope as a platform producer stamps it (region `local`, no session, round or trace), occurred now by default. */
export function testEnvelope(
  input: Omit<TestEventInput, 'topic'> & { readonly occurredAt?: number },
): EventEnvelope {
  return {
    event_id: input.eventId ?? randomUUID(),
    event_type: input.eventType,
    event_version: 1,
    occurred_at: input.occurredAt ?? Date.now(),
    tenant_id: input.tenantId,
    region: 'local',
    player_id: input.playerId,
    session_id: null,
    round_id: null,
    trace_id: null,
    causation_id: null,
    idempotency_key: null,
    payload: input.payload,
  };
}

/**
 * Publishes events the way another service would (encoded through the registry, keyed by tenant:player), for
 * topics whose producer is not part of the test: promo.grants.v1 and rg.v1 until their services exist.
 */
export async function publishTestEvents(
  topics: TestTopics,
  inputs: readonly TestEventInput[],
): Promise<EventEnvelope[]> {
  const publisher = new EventPublisher(topics.kafka, topics.codec, topics.naming);
  await publisher.connect();
  try {
    const envelopes = inputs.map(testEnvelope);
    await publisher.publish(
      envelopes.map((envelope, index) => ({
        topic: inputs[index]!.topic,
        key: messageKeyOf(envelope),
        envelope,
        headers: {},
      })),
    );
    return envelopes;
  } finally {
    await publisher.disconnect();
  }
}
