import { Kafka, logLevel } from 'kafkajs';
import type * as ContractsModule from '@pitboss/contracts';
import { sleep } from './ports';
import type { StackConfig } from './stack-config';

type Contracts = typeof ContractsModule;

/**
 * Loaded lazily and retried: the contracts barrel re-exports generated code that another workflow may be
 * regenerating at this very moment, and a half-written file should delay `up`, not fail it.
 */
async function loadContracts(log: (line: string) => void): Promise<Contracts> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await import('@pitboss/contracts');
    } catch (error) {
      if (attempt >= 10) throw error;
      if (attempt === 1) log('topics: @pitboss/contracts does not load yet (being regenerated?), retrying');
      await sleep(2000);
    }
  }
}

/** Every topic the contracts declare plus its dead-letter twin, with the deployment prefix. */
export async function expectedTopics(config: StackConfig, log: (line: string) => void): Promise<string[]> {
  const { ALL_TOPICS, dlqTopicOf } = await loadContracts(log);
  return ALL_TOPICS.flatMap((topic) => [topic.name, dlqTopicOf(topic.name)]).map(
    (name) => `${config.topicPrefix}${name}`,
  );
}

/** Creates missing topics; existing ones are left as they are (partition counts are never changed here). */
export async function ensureTopics(config: StackConfig, log: (line: string) => void): Promise<void> {
  const topics = await expectedTopics(config, log);
  const admin = new Kafka({
    clientId: 'pitboss-stack',
    brokers: [`127.0.0.1:${config.kafkaPort}`],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      // A racing `up` may create the same topics; createTopics treats "already exists" as success.
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: config.topicPartitions,
          replicationFactor: 1,
        })),
      });
    }
    log(`topics: ${topics.length} present (${missing.length} created): ${topics.join(', ')}`);
  } finally {
    await admin.disconnect();
  }
}
