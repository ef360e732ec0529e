import { randomBytes } from 'node:crypto';

import { type Kafka } from 'kafkajs';

import { type EventEnvelope } from '@pitboss/contracts';
import { type EventCodec, EventConsumer, type TopicNaming } from '@pitboss/messaging';

/** One event as the watching consumer saw it. */
export interface SeenEvent {
  readonly eventId: string;
  readonly eventType: string;
  /** Envelope `occurred_at` (epoch ms): set by the event store just before the append committed. */
  readonly occurredAt: number;
  /** Consumer clock when the decoded message reached the handler (epoch ms, same machine as the writer). */
  readonly receivedAt: number;
}

export interface TopicWatch {
  /** Every event of the topic's money events keyed by `payload.bet_id`, in arrival order (duplicates kept). */
  readonly byBet: ReadonlyMap<string, readonly SeenEvent[]>;
  /** Messages seen in all (ours and anyone else's on the shared topic). */
  count(): number;
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
  // first fetch, some time after start() returns: events published in between would be skipped. Committing the
  // current end offsets for the fresh group first pins its start to "now", whatever the timing.
  await admin.resetOffsets({
    groupId: naming.physical(groupId),
    topic: naming.physical(topic),
    earliest: false,
  });
  const byBet = new Map<string, SeenEvent[]>();
  let count = 0;
  const consumer = new EventConsumer(kafka, codec, naming, {
    groupId,
    topics: [topic],
    fromBeginning: false,
    handler: async (envelope: EventEnvelope) => {
      count++;
      const betId = envelope.payload['bet_id'];
      if (typeof betId !== 'string') return;
      const seen = byBet.get(betId) ?? [];
      seen.push({
        eventId: envelope.event_id,
        eventType: envelope.event_type,
        occurredAt: envelope.occurred_at,
        receivedAt: Date.now(),
      });
      byBet.set(betId, seen);
    },
  });
  await consumer.start();
  return {
    byBet,
    count: () => count,
    async stop() {
      await consumer.stop();
      // The group was only ever ours: leave no trace of it on the broker.
      await admin.deleteGroups([naming.physical(groupId)]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
