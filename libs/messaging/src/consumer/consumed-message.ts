import { type IHeaders, type KafkaMessage } from 'kafkajs';

import { type EventEnvelope } from '@pitboss/contracts';

/** Where a consumed event came from: what a handler may need besides the envelope. */
export interface ConsumedEventContext {
  /** Logical topic name. */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** A message decoded through the registry, with the raw message it came from (what a dead letter carries). */
export interface DecodedMessage {
  readonly envelope: EventEnvelope;
  readonly context: ConsumedEventContext;
  readonly message: KafkaMessage;
  /** The topic's and the consumer group's physical names, for the message's span. */
  readonly physicalTopic: string;
  readonly consumerGroup: string;
}

export function contextOf(topic: string, partition: number, message: KafkaMessage): ConsumedEventContext {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    headers: stringHeaders(message.headers),
  };
}

export function headerOf(headers: IHeaders | undefined, name: string): string | undefined {
  // eslint-disable-next-line security/detect-object-injection -- name is a header name from code
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.toString();
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  // Defined, not assigned: a header named `__proto__` (headers come off the wire) stays an ordinary key.
  return Object.fromEntries(
    Object.entries(headers ?? {}).flatMap(([name, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return first === undefined ? [] : [[name, first.toString()]];
    }),
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
