import { createSchemaRegistry, registerTopicSchemas, TopicNaming } from '@pitboss/messaging';
import { infrastructureConfig } from '@pitboss/platform-config';

/**
 * `npm run schemas:register`: registers every topic's value schema (subject `<prefix><topic>-value`,
 * BACKWARD_TRANSITIVE; a subject still on BACKWARD is moved to it).
 * Deployments run it before a rollout with SCHEMA_REGISTER_ON_START=false on the relay; the registry refuses
 * an incompatible version, which stops the rollout.
 */
async function main(): Promise<void> {
  const config = infrastructureConfig();
  const naming = new TopicNaming(config.topicPrefix);
  const ids = await registerTopicSchemas(createSchemaRegistry(config.schemaRegistryUrl), naming);
  for (const [topic, id] of ids) console.log(`schemas: ${naming.valueSubject(topic)} → id ${id}`);
}

main().catch((error: unknown) => {
  console.error(`schemas: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
