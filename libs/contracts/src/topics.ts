/**
 * Every Kafka topic Pitboss owns, with the event types each carries. Topic names are versioned: a change that
 * cannot be made backward compatible gets a new topic (`.v2`), never an edit of a released schema.
 */
export interface TopicDefinition {
  /** Logical name; deployments may prefix it (see `KAFKA_TOPIC_PREFIX`). */
  readonly name: string;
  /** Avro namespace of the topic's value record and payload records. */
  readonly namespace: string;
  /** Event types, in the order their payload records appear in the value schema's union. Append only. */
  readonly eventTypes: readonly string[];
}

export const TOPICS = {
  rounds: {
    name: 'rgs.rounds.v1',
    namespace: 'pitboss.rgs.rounds.v1',
    eventTypes: [
      'bet.authorized',
      'bet.rejected',
      'settlement.requested',
      'rollback.requested',
      'debit.uncertain',
    ],
  },
  settlements: {
    name: 'rgs.settlements.v1',
    namespace: 'pitboss.rgs.settlements.v1',
    eventTypes: ['bet.settled', 'bet.rolled_back', 'settlement.compensated'],
  },
  promoGrants: {
    name: 'promo.grants.v1',
    namespace: 'pitboss.promo.grants.v1',
    eventTypes: ['bonus.issued', 'bonus.aborted', 'bonus.revoked', 'bonus.expired'],
  },
  responsibleGaming: {
    name: 'rg.v1',
    namespace: 'pitboss.rg.v1',
    eventTypes: ['player.self_excluded', 'player.self_exclusion_ended', 'player.blocked', 'player.unblocked'],
  },
} as const satisfies Record<string, TopicDefinition>;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]['name'];

export const ALL_TOPICS: readonly TopicDefinition[] = Object.values(TOPICS);

export const DLQ_SUFFIX = '.dlq';

export function dlqTopicOf(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

/** `bet.rolled_back` → `BetRolledBack`: the payload record's name inside the topic's namespace. */
export function payloadRecordName(eventType: string): string {
  return eventType
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** `bet.rolled_back` → `bet-rolled-back.avsc`: where the payload schema lives under `avro/<topic>/`. */
export function payloadFileName(eventType: string): string {
  return `${eventType.replace(/[._]/g, '-')}.avsc`;
}

/** The topic an event type is published on, or undefined for events kept inside their service. */
export function topicOfEventType(eventType: string): TopicDefinition | undefined {
  return ALL_TOPICS.find((topic) => topic.eventTypes.includes(eventType));
}
