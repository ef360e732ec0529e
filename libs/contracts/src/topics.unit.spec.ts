import { ALL_TOPICS, dlqTopicOf, payloadFileName, payloadRecordName, topicOfEventType } from './topics';

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
});
