import { Kafka, logLevel } from 'kafkajs';
import type * as TopicDefinitions from './topic-definitions';
import { sleep } from './ports';
import type { StackConfig } from './stack-config';

/**
 * Loaded lazily and retried: the contracts barrel re-exports generated code that another workflow may be
 * regenerating at this very moment, and a half-written file should delay `up`, not fail it.
 */
async function loadTopicDefinitions(log: (line: string) => void): Promise<typeof TopicDefinitions> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await import('./topic-definitions');
    } catch (error) {
      if (attempt >= 10) throw error;
      if (attempt === 1) log('topics: @pitboss/contracts does not load yet (being regenerated?), retrying');
      await sleep(2000);
    }
  }
}

/** Every topic the contracts declare plus its dead-letter twin, with the deployment prefix and its settings. */
export async function expectedTopics(
  config: StackConfig,
  log: (line: string) => void,
): Promise<ReturnType<typeof TopicDefinitions.prefixedTopics>> {
  return (await loadTopicDefinitions(log)).prefixedTopics(config.topicPrefix);
}

/**
 * Creates missing topics with the settings their definition names (retention of the read-model topics) and sets
 * them on existing topics that differ; partition counts are never changed here.
 */
export async function ensureTopics(config: StackConfig, log: (line: string) => void): Promise<void> {
  const topics = await expectedTopics(config, log);
  const { provisionTopics } = await loadTopicDefinitions(log);
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
