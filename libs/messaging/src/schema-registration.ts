import { COMPATIBILITY, SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';

import { ALL_TOPICS, TOPIC_VALUE_SCHEMAS } from '@pitboss/contracts';

import { type TopicNaming } from './topic-naming';

/**
 * Registers every topic's value schema under its subject with BACKWARD compatibility, so the registry refuses
 * a version that current consumers could not read. Registering an unchanged schema returns its existing id.
 */
export async function registerTopicSchemas(
  registry: SchemaRegistry,
  naming: TopicNaming,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const topic of ALL_TOPICS) {
    const schema = TOPIC_VALUE_SCHEMAS[topic.name];
    if (!schema) throw new Error(`no value schema for ${topic.name}`);
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject: naming.valueSubject(topic.name), compatibility: COMPATIBILITY.BACKWARD },
    );
    ids.set(topic.name, id);
  }
  return ids;
}
