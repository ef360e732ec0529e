import { randomUUID } from 'node:crypto';

import { type Kafka } from 'kafkajs';

import { TOPICS } from '@pitboss/contracts';
import { type ChainHead } from '@pitboss/governance-domain';
import { type EventCodec, type TopicNaming } from '@pitboss/messaging';

/** A checkpoint as read back from audit.v1, with where it was found. */
export interface PublishedCheckpoint extends ChainHead {
  readonly source: string;
  readonly schema: string;
  readonly publishedAt: string;
  readonly partition: number;
  readonly offset: string;
}

export interface CheckpointQuery {
  readonly kafka: Kafka;
  readonly codec: EventCodec;
  readonly naming: TopicNaming;
  /** The journal's schema: one chain per schema, whichever replica published. */
  readonly schema: string;
  /** Gives up reading after this long (the topic is read to its end as it was when the read began). */
  readonly timeoutMs?: number;
}

/**
 * The latest `audit.checkpoint` of `schema` on audit.v1, decoded through the registry: the one with the highest
 * sequence (a chain head only grows, so this is the newest whatever partition or replica published it). Reads
 * every partition from its first offset to the end offset it had when the read began; null when the schema never
 * published one. The topic is kept forever and holds one small record per interval and service, so reading it
 * whole is seconds even after years; a consumer group of its own, deleted afterwards, commits nothing.
 */
export async function latestCheckpointOf(query: CheckpointQuery): Promise<PublishedCheckpoint | null> {
  const topic = query.naming.physical(TOPICS.audit.name);
  const admin = query.kafka.admin();
  await admin.connect();
  const groupId = `audit-verify-${randomUUID()}`;
  try {
    const ends = new Map<number, bigint>();
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high));
    }
    if (ends.size === 0) return null;
    let latest: PublishedCheckpoint | null = null;
    const consumer = query.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const remaining = new Set(ends.keys());
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`audit.v1 not read to its end within ${query.timeoutMs ?? 60_000} ms`)),
          query.timeoutMs ?? 60_000,
        );
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              if (message.value !== null) {
                const envelope = await query.codec.decode(message.value);
                const payload = envelope.payload as Record<string, unknown>;
                if (envelope.event_type === 'audit.checkpoint' && payload['schema'] === query.schema) {
                  const sequence = Number(payload['sequence']);
                  if (latest === null || sequence > latest.sequence) {
                    latest = {
                      source: String(payload['source']),
                      schema: query.schema,
                      sequence,
                      hash: String(payload['hash']),
                      publishedAt: String(payload['published_at']),
                      partition,
                      offset: message.offset,
                    };
                  }
                }
              }
              const end = ends.get(partition);
              if (end !== undefined && BigInt(message.offset) + 1n >= end) remaining.delete(partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return latest;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
