import { type EventEnvelope } from '@pitboss/contracts';
import { EventConsumer, type ConsumedEventContext, type EventHandler } from '@pitboss/messaging';

import { type TestTopics } from './test-topics';
import { uniqueTestPrefix } from './unique-name';

export interface ReceivedEvent {
  readonly envelope: EventEnvelope;
  readonly context: ConsumedEventContext;
}

export interface EventCollector {
  readonly received: ReceivedEvent[];
  stop(): Promise<void>;
}

/**
 * A real consumer group on the test's topics that decodes through the registry and keeps every delivery in
 * arrival order (duplicates included), optionally passing each to `onEvent` first.
 */
export async function collectEvents(
  topics: TestTopics,
  logicalTopics: readonly string[],
  onEvent?: EventHandler,
): Promise<EventCollector> {
  const received: ReceivedEvent[] = [];
  const consumer = new EventConsumer(topics.kafka, topics.codec, topics.naming, {
    groupId: uniqueTestPrefix('collector'),
    topics: logicalTopics,
    fromBeginning: true,
    handler: async (envelope, context) => {
      await onEvent?.(envelope, context);
      received.push({ envelope, context });
    },
  });
  await consumer.start();
  return { received, stop: () => consumer.stop() };
}
