import {
  ALL_TOPICS,
  dlqTopicOf,
  payloadFileName,
  payloadRecordName,
  topicOfEventType,
  topicsToProvision,
} from './topics';

describe('topic catalogue', () => {
  it('names payload records and files after their event type', () => {
    expect(payloadRecordName('bet.rolled_back')).toBe('BetRolledBack');
    expect(payloadFileName('bet.rolled_back')).toBe('bet-rolled-back.avsc');
  });

  it('finds the one topic of an event type, and none for private events', () => {
    expect(topicOfEventType('settlement.requested')?.name).toBe('rgs.rounds.v1');
    expect(topicOfEventType('saga.step_recorded')).toBeUndefined();
  });

  it('gives each event type exactly one topic, and each topic a .dlq twin', () => {
    const eventTypes = ALL_TOPICS.flatMap((topic) => topic.eventTypes);

    expect(new Set(eventTypes).size).toBe(eventTypes.length);
    expect(dlqTopicOf('rgs.rounds.v1')).toBe('rgs.rounds.v1.dlq');
  });

  it('keeps the read-model topics and every dead letter forever, and leaves the others at the broker default', () => {
    const settings = Object.fromEntries(
      topicsToProvision((name) => `x.${name}`).map((topic) => [topic.name, topic.config]),
    );
    const forever = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' };

    expect(settings['x.rg.v1']).toEqual(forever);
    expect(settings['x.promo.grants.v1']).toEqual(forever);
    expect(settings['x.rgs.rounds.v1']).toEqual({});
    expect(settings['x.rgs.settlements.v1']).toEqual({});
    for (const topic of ALL_TOPICS) expect(settings[`x.${topic.name}.dlq`]).toEqual(forever);
    expect(Object.keys(settings)).toHaveLength(ALL_TOPICS.length * 2);
  });
});
