import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';

import { type EventEnvelope } from '@pitboss/contracts';

import { type EventCodec } from './event-codec';
import { createIdempotentProducer } from './kafka-client';
import { type TopicNaming } from './topic-naming';

export interface OutgoingEvent {
  readonly topic: string;
  readonly key: string;
  readonly envelope: EventEnvelope;
  readonly headers: Readonly<Record<string, string | null | undefined>>;
}

/**
 * The idempotent producer (acks from all in-sync replicas, one request in flight), so a batch lands in order
 * per partition and the broker drops the producer's own retries. Only the outbox relay publishes events.
 */
export class EventPublisher {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly codec: EventCodec,
    private readonly naming: TopicNaming,
  ) {
    this.producer = createIdempotentProducer(kafka);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Publishes in the given order; resolves only when every message is acknowledged. */
  async publish(events: readonly OutgoingEvent[]): Promise<void> {
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    for (const event of events) {
      const messages = byTopic.get(event.topic) ?? [];
      messages.push({
        key: event.key,
        value: await this.codec.encode(event.topic, event.envelope),
        headers: definedHeaders(event.headers),
      });
      byTopic.set(event.topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({
        topic: this.naming.physical(topic),
        messages,
      })),
    });
  }
}

function definedHeaders(headers: OutgoingEvent['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
