import { COMPATIBILITY, SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';

import { ALL_TOPICS, TOPIC_VALUE_SCHEMAS } from '@pitboss/contracts';
import { infrastructureConfig } from '@pitboss/platform-config';

import { type TopicNaming } from './topic-naming';

/**
 * The level every topic subject gets: a new version must read every version before it, not only the last one,
 * so a warehouse (or a new consumer group) that re-reads a topic from its first message can do it with today's
 * schema. `npm run schemas:check` holds the committed history to the same rule.
 */
export const TOPIC_COMPATIBILITY = COMPATIBILITY.BACKWARD_TRANSITIVE;

/**
 * Registers every topic's value schema under its subject with BACKWARD_TRANSITIVE compatibility, so the registry
 * refuses a version that current consumers could not read. Registering an unchanged schema returns its existing
 * id. A subject registered before under plain BACKWARD (its history is checked transitively by schemas:check) is
 * moved to BACKWARD_TRANSITIVE first (`registryUrl`: the Confluent-compatible API `registry` talks to).
 */
export async function registerTopicSchemas(
  registry: SchemaRegistry,
  naming: TopicNaming,
  registryUrl: string = infrastructureConfig().schemaRegistryUrl,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const topic of ALL_TOPICS) {
    const schema = TOPIC_VALUE_SCHEMAS[topic.name];
    if (!schema) throw new Error(`no value schema for ${topic.name}`);
    const subject = naming.valueSubject(topic.name);
    await upgradeCompatibility(registryUrl, subject);
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject, compatibility: TOPIC_COMPATIBILITY },
    );
    ids.set(topic.name, id);
  }
  return ids;
}

async function upgradeCompatibility(registryUrl: string, subject: string): Promise<void> {
  const url = `${registryUrl}/config/${encodeURIComponent(subject)}`;
  const current = await fetch(url);
  if (current.status === 404) return; // a new subject: register() sets its level
  if (!current.ok) throw new Error(`registry: GET ${url} answered ${current.status}`);
  const { compatibilityLevel } = (await current.json()) as { compatibilityLevel?: string };
  if (compatibilityLevel?.toUpperCase() !== COMPATIBILITY.BACKWARD) return;
  const updated = await fetch(url, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: TOPIC_COMPATIBILITY }),
  });
  if (!updated.ok) throw new Error(`registry: PUT ${url} answered ${updated.status}`);
}
