import {
  avroTypeOf,
  messageKeyOf,
  TOPIC_VALUE_SCHEMAS,
  toAvroValue,
  topicOfEventType,
} from '@pitboss/contracts';

import { type Transaction } from './database';
import { EventContractError } from './event-contract.error';
import { envelopeOf, type PublishableEvent } from './envelope-of';
import { type StoredEvent } from './events';

// Built once: validating against the real topic schema at append time keeps undecodable rows out of the outbox.
const topicTypes = new Map(
  Object.entries(TOPIC_VALUE_SCHEMAS).map(([topic, schema]) => [topic, avroTypeOf(schema)]),
);

/** An outbox row as it is inserted: the JSON columns already serialised. */
export interface OutboxRow {
  readonly eventId: string;
  readonly topic: string;
  readonly messageKey: string;
  readonly envelope: string;
  readonly headers: string;
}

/**
 * The outbox rows of the publishable events, each validated against its topic's schema (so an undecodable row
 * never reaches the outbox). Events whose type belongs to no topic stay private to the service: no row.
 */
export function outboxRowsOf(events: readonly PublishableEvent[]): OutboxRow[] {
  return events.flatMap((event) => {
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
      {
        eventId: event.eventId,
        topic: topic.name,
        messageKey: messageKeyOf(envelope),
        envelope: JSON.stringify(envelope),
        headers: JSON.stringify(headers),
      },
    ];
  });
}

/**
 * Queues the publishable events for the relay, inside the caller's transaction (replays; an append queues its
 * own rows in its statement). Returns how many rows were queued.
 */
export async function enqueueForPublication(
  tx: Transaction,
  events: readonly StoredEvent[],
): Promise<number> {
  const rows = outboxRowsOf(events);
  if (rows.length === 0) return 0;
  await tx.query(
    `INSERT INTO outbox (event_id, topic, message_key, envelope, headers)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[])`,
    outboxColumnsOf(rows),
  );
  return rows.length;
}

/** The rows as the five column arrays `unnest` takes, in the outbox's column order. */
export function outboxColumnsOf(rows: readonly OutboxRow[]): unknown[] {
  return [
    rows.map((row) => row.eventId),
    rows.map((row) => row.topic),
    rows.map((row) => row.messageKey),
    rows.map((row) => row.envelope),
    rows.map((row) => row.headers),
  ];
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
