import { ConfigResourceTypes, type Admin } from 'kafkajs';

import { ALL_TOPICS, dlqTopicOf, TOPICS } from '@pitboss/contracts';
import { createKafka, describeTopicSettings } from '@pitboss/messaging';
import { infrastructureConfig } from '@pitboss/platform-config';
import { expectEventually, provisionTestTopics, uniqueTestPrefix } from '@pitboss/testing';

import { stackConfig } from './stack-config';
import { ensureTopics, expectedTopics } from './topics';

const RETENTION = ['cleanup.policy', 'retention.ms', 'retention.bytes'];
const FOREVER = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' };
const readModelTopics = [TOPICS.responsibleGaming.name, TOPICS.promoGrants.name];

/** What the broker itself says about the topics, read back with describeConfigs. */
describe('topic settings on the real broker', () => {
  let admin: Admin;

  beforeAll(async () => {
    admin = createKafka(infrastructureConfig(), '-test-topic-settings').admin();
    await admin.connect();
  });

  afterAll(() => admin.disconnect());

  it('stack:up creates rg.v1, promo.grants.v1 and every .dlq with infinite retention, and resets one that drifted', async () => {
    const config = { ...stackConfig(), topicPrefix: uniqueTestPrefix('stacktopics') };
    const log = () => undefined;
    const names = expectedTopics(config).map((topic) => topic.name);
    // An existing topic from before retention was decided: created with the broker's default settings.
    const old = `${config.topicPrefix}${TOPICS.responsibleGaming.name}`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: old, numPartitions: 1 }] });
    try {
      await ensureTopics(config, log);
      await expectForever(admin, config.topicPrefix);

      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: old,
            configEntries: [{ name: 'retention.ms', value: '3600000' }],
          },
        ],
      });
      await ensureTopics(config, log);
      await expectForever(admin, config.topicPrefix);
    } finally {
      await admin.deleteTopics({ topics: names }).catch(() => undefined);
    }
  });

  it('test topics are created with the same settings', async () => {
    const topics = await provisionTestTopics('topicsettings', 1);
    try {
      await expectForever(admin, topics.prefix);
    } finally {
      await topics.cleanup();
    }
  });
});

/** Eventually: a new topic or setting reaches every part of the broker a moment after the call returned. */
function expectForever(admin: Admin, prefix: string): Promise<void> {
  return expectEventually(() => expectForeverNow(admin, prefix));
}

async function expectForeverNow(admin: Admin, prefix: string): Promise<void> {
  const forever = [
    ...readModelTopics.map((name) => `${prefix}${name}`),
    ...ALL_TOPICS.map((topic) => dlqTopicOf(`${prefix}${topic.name}`)),
  ];
  const settings = await describeTopicSettings(admin, forever, RETENTION);
  for (const topic of forever) expect([topic, settings.get(topic)]).toEqual([topic, FOREVER]);
  // The money topics stay at the broker's default (7 days): the event stores are their source of truth.
  const rounds = `${prefix}${TOPICS.rounds.name}`;
  const defaults = await describeTopicSettings(admin, [rounds], ['retention.ms']);
  expect(defaults.get(rounds)).toEqual({ 'retention.ms': '604800000' });
}
