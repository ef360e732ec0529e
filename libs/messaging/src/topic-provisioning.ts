import { type Admin, ConfigResourceTypes } from 'kafkajs';

import { type TopicToProvision } from '@pitboss/contracts';

export interface TopicProvisioningOptions {
  readonly numPartitions: number;
  readonly replicationFactor: number;
}

export interface TopicProvisioningResult {
  readonly created: string[];
  /** Existing topics whose settings differed from their definition and were set to it. */
  readonly altered: string[];
}

/**
 * Creates missing topics with their settings and sets the settings of existing ones that differ (e.g. a topic
 * created before its retention was decided). Partition counts of existing topics are never changed: that would
 * move keys to other partitions.
 */
export async function provisionTopics(
  admin: Admin,
  topics: readonly TopicToProvision[],
  options: TopicProvisioningOptions,
): Promise<TopicProvisioningResult> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length > 0) {
    // A racing provisioner may create the same topics; createTopics treats "already exists" as success.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: options.numPartitions,
        replicationFactor: options.replicationFactor,
        configEntries: entriesOf(topic.config),
      })),
    });
  }
  const drifted = await topicsWithOtherSettings(
    admin,
    topics.filter((topic) => existing.has(topic.name) && Object.keys(topic.config).length > 0),
  );
  if (drifted.length > 0) {
    // AlterConfigs (not incremental) sets the topic's overrides to exactly these: the definition owns them.
    await admin.alterConfigs({
      validateOnly: false,
      resources: drifted.map((topic) => ({
        type: ConfigResourceTypes.TOPIC,
        name: topic.name,
        configEntries: entriesOf(topic.config),
      })),
    });
  }
  return { created: missing.map((topic) => topic.name), altered: drifted.map((topic) => topic.name) };
}

/** The broker's current value of each named setting of each topic. */
export async function describeTopicSettings(
  admin: Admin,
  topics: readonly string[],
  settings: readonly string[],
): Promise<Map<string, Record<string, string | undefined>>> {
  const described = new Map<string, Record<string, string | undefined>>();
  if (topics.length === 0) return described;
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: [...settings],
    })),
  });
  for (const resource of resources) {
    const values: Record<string, string | undefined> = {};
    for (const entry of resource.configEntries) values[entry.configName] = entry.configValue;
    described.set(resource.resourceName, values);
  }
  return described;
}

async function topicsWithOtherSettings(
  admin: Admin,
  topics: readonly TopicToProvision[],
): Promise<TopicToProvision[]> {
  const settings = [...new Set(topics.flatMap((topic) => Object.keys(topic.config)))];
  const current = await describeTopicSettings(
    admin,
    topics.map((topic) => topic.name),
    settings,
  );
  return topics.filter((topic) =>
    // eslint-disable-next-line security/detect-object-injection -- name is a key of our own topic definition's config
    Object.entries(topic.config).some(([name, value]) => current.get(topic.name)?.[name] !== value),
  );
}

function entriesOf(config: Readonly<Record<string, string>>): { name: string; value: string }[] {
  return Object.entries(config).map(([name, value]) => ({ name, value }));
}
