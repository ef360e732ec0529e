import { randomBytes } from 'node:crypto';

import { type Kafka } from 'kafkajs';

import { type EventCodec, EventConsumer, type TopicNaming } from '@pitboss/messaging';

import { type Delivery } from './deliveries';

export interface TopicWatch {
  readonly deliveries: Delivery[];
  stop(): Promise<void>;
}

/**
 * A consumer group of its own on one logical topic that sees only what is published from now on, decoding
 * every message through the registry as any real consumer does.
 */
export async function watchTopic(
  kafka: Kafka,
  codec: EventCodec,
  naming: TopicNaming,
  topic: string,
): Promise<TopicWatch> {
  const groupId = `demo-watch-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  // fromBeginning=false only says "latest" for a group without offsets, and kafkajs resolves "latest" at its
  // first fetch, some time after start() returns: events appended in between would be skipped. Committing the
  // current end offsets for the fresh group first pins its start to "now", whatever the timing.
  await admin.resetOffsets({
    groupId: naming.physical(groupId),
    topic: naming.physical(topic),
    earliest: false,
  });
  const deliveries: Delivery[] = [];
  const consumer = new EventConsumer(kafka, codec, naming, {
    groupId,
    topics: [topic],
    fromBeginning: false,
    handler: async (envelope) => {
      deliveries.push({
        eventId: envelope.event_id,
        eventType: envelope.event_type,
        occurredAt: envelope.occurred_at,
        receivedAt: Date.now(),
      });
    },
  });
  await consumer.start();
  return {
    deliveries,
    async stop() {
      await consumer.stop();
      // The group was only ever ours: leave no trace of it on the broker.
      await admin.deleteGroups([naming.physical(groupId)]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
