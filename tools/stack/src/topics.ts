import { Kafka, logLevel } from 'kafkajs';

import { topicsToProvision, type TopicToProvision } from '@pitboss/contracts';
import { provisionTopics } from '@pitboss/messaging';

import type { StackConfig } from './stack-config';

/** Every topic the contracts declare plus its dead-letter twin, with the deployment prefix and its settings. */
export function expectedTopics(config: StackConfig): TopicToProvision[] {
  return topicsToProvision((name) => `${config.topicPrefix}${name}`);
}

/**
 * Creates missing topics with the settings their definition names (retention of the read-model topics) and sets
 * them on existing topics that differ; partition counts are never changed here.
 */
export async function ensureTopics(config: StackConfig, log: (line: string) => void): Promise<void> {
  const topics = expectedTopics(config);
  const admin = new Kafka({
    clientId: 'pitboss-stack',
    brokers: [`127.0.0.1:${config.kafkaPort}`],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const { created, altered } = await provisionTopics(admin, topics, {
      numPartitions: config.topicPartitions,
      replicationFactor: 1,
    });
    const changed = altered.length === 0 ? '' : `, settings set on ${altered.join(', ')}`;
    log(
      `topics: ${topics.length} present (${created.length} created${changed}): ${topics.map((t) => t.name).join(', ')}`,
    );
  } finally {
    await admin.disconnect();
  }
}
