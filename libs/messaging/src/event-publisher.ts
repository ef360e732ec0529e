import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';

import { type EventEnvelope } from '@pitboss/contracts';
import { failSpan, SpanKind, startSpan, traceparentOfSpan } from '@pitboss/observability';

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

  /**
   * Publishes in the given order; resolves only when every message is acknowledged. Each message gets a producer
   * span, a child of the `traceparent` its row carries (the request or handler that wrote the event), ended when
   * the batch is acknowledged; the message's `traceparent` header is that span, so the consumer's span follows it.
   */
  async publish(events: readonly OutgoingEvent[]): Promise<void> {
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    const spans = events.map((event) => this.publishSpan(event));
    try {
      for (const [index, event] of events.entries()) {
        const messages = byTopic.get(event.topic) ?? [];
        // eslint-disable-next-line security/detect-object-injection -- index is the position of this event in the batch
        const traceparent = traceparentOfSpan(spans[index]!) ?? event.headers['traceparent'];
        messages.push({
          key: event.key,
          value: await this.codec.encode(event.topic, event.envelope),
          headers: definedHeaders(event.headers, traceparent),
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
    } catch (error) {
      spans.forEach((span) => failSpan(span, error));
      throw error;
    } finally {
      spans.forEach((span) => span.end());
    }
  }

  private publishSpan(event: OutgoingEvent) {
    const physical = this.naming.physical(event.topic);
    return startSpan(`publish ${physical}`, {
      kind: SpanKind.PRODUCER,
      // The stored traceparent, never the relay's poll loop: a row without one (a replay of old events) starts its own.
      parent: event.headers['traceparent'] ?? null,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': physical,
        'messaging.message.id': event.headers['event_id'] ?? undefined,
        'pitboss.event_type': event.envelope.event_type,
      },
    });
  }
}

/**
 * Kafka headers are strings: null and undefined values are left out. `traceparent` replaces the stored one (it is
 * the producer span, or the stored one when there is no span). A loop, since this runs once per event.
 */
function definedHeaders(
  headers: OutgoingEvent['headers'],
  traceparent: string | null | undefined,
): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // eslint-disable-next-line security/detect-object-injection -- name is an own key of headers
    if (typeof value === 'string') defined[name] = value;
  }
  if (typeof traceparent === 'string') defined['traceparent'] = traceparent;
  return defined;
}
