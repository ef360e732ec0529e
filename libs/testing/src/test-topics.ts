import { type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { type Admin, type Kafka } from 'kafkajs';

import { ALL_TOPICS, topicsToProvision } from '@pitboss/contracts';
import {
  createKafka,
  createSchemaRegistry,
  EventCodec,
  provisionTopics,
  registerTopicSchemas,
  TopicNaming,
} from '@pitboss/messaging';
import { infrastructureConfig } from '@pitboss/platform-config';

import { uniqueTestPrefix } from './unique-name';

export interface TestTopics {
  readonly prefix: string;
  readonly naming: TopicNaming;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly registry: SchemaRegistry;
  readonly codec: EventCodec;
  /** Environment that points a child process (a relay) at the same topics. */
  readonly env: Readonly<Record<string, string>>;
  cleanup(): Promise<void>;
}

/**
 * Every topic and its DLQ under a prefix of the test's own, created as deployments create them (the same
 * definitions and settings), with the value schemas registered on the real registry.
 */
export async function provisionTestTopics(label: string, partitions = 3): Promise<TestTopics> {
  const config = infrastructureConfig();
  const prefix = uniqueTestPrefix(label);
  const naming = new TopicNaming(prefix);
  const kafka = createKafka(config, `-test-${label}`);
  const admin = kafka.admin();
  await admin.connect();
  const topics = topicsToProvision((name) => naming.physical(name));
  const names = topics.map((topic) => topic.name);
  await provisionTopics(admin, topics, { numPartitions: partitions, replicationFactor: 1 });
  const registry = createSchemaRegistry(config.schemaRegistryUrl);
  await registerTopicSchemas(registry, naming);
  return {
    prefix,
    naming,
    kafka,
    admin,
    registry,
    codec: new EventCodec(registry, naming),
    env: { KAFKA_TOPIC_PREFIX: prefix },
    async cleanup() {
      await admin.deleteTopics({ topics: names }).catch(() => undefined);
      await admin.disconnect();
      await deleteTestSubjects(naming);
    },
  };
}

/** Deletes every topic's value subject under a test's prefix (see `deleteSubjects`). */
export async function deleteTestSubjects(naming: TopicNaming): Promise<void> {
  await deleteSubjects(
    infrastructureConfig().schemaRegistryUrl,
    ALL_TOPICS.map((topic) => naming.valueSubject(topic.name)),
  );
}

/** Soft then hard delete, as the Confluent API requires, so test subjects do not pile up in the registry. */
async function deleteSubjects(registryUrl: string, subjects: readonly string[]): Promise<void> {
  for (const subject of subjects) {
    const url = `${registryUrl}/subjects/${encodeURIComponent(subject)}`;
    await fetch(url, { method: 'DELETE' }).catch(() => undefined);
    await fetch(`${url}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
  }
}
