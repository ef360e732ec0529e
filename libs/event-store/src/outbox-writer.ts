import {
  avroTypeOf,
  messageKeyOf,
  TOPIC_VALUE_SCHEMAS,
  toAvroValue,
  topicOfEventType,
} from '@pitboss/contracts';

import { type Transaction } from './database';
import { EventContractError } from './event-contract.error';
import { envelopeOf } from './envelope-of';
import { type StoredEvent } from './events';

// Built once: validating against the real topic schema at append time keeps undecodable rows out of the outbox.
const topicTypes = new Map(
  Object.entries(TOPIC_VALUE_SCHEMAS).map(([topic, schema]) => [topic, avroTypeOf(schema)]),
);

/**
 * Queues the publishable events for the relay, inside the caller's transaction. Events whose type belongs to
 * no topic stay private to the service. Returns how many rows were queued.
 */
export async function enqueueForPublication(
  tx: Transaction,
  events: readonly StoredEvent[],
): Promise<number> {
  const rows = events.flatMap((event) => {
    const topic = topicOfEventType(event.type);
    if (!topic) return [];
    const envelope = envelopeOf(event);
    assertMatchesSchema(topic.name, envelope);
    const headers = {
      event_id: event.eventId,
      event_type: event.type,
      traceparent: event.metadata.traceparent,
    };
    return [
      [event.eventId, topic.name, messageKeyOf(envelope), JSON.stringify(envelope), JSON.stringify(headers)],
    ];
  });
  if (rows.length === 0) return 0;
  const placeholders = rows.map(
    (_, row) => `($${row * 5 + 1}, $${row * 5 + 2}, $${row * 5 + 3}, $${row * 5 + 4}, $${row * 5 + 5})`,
  );
  await tx.query(
    `INSERT INTO outbox (event_id, topic, message_key, envelope, headers) VALUES ${placeholders.join(', ')}`,
    rows.flat(),
  );
  return rows.length;
}

function assertMatchesSchema(topicName: string, envelope: ReturnType<typeof envelopeOf>): void {
  const type = topicTypes.get(topicName);
  if (!type) throw new EventContractError(envelope.event_type, [`no schema for topic ${topicName}`]);
  const problems: string[] = [];
  type.isValid(toAvroValue(envelope, type), {
    errorHook: (path) => problems.push(`${path.join('.') || '(root)'} is invalid`),
  });
  if (problems.length > 0) throw new EventContractError(envelope.event_type, problems);
}
