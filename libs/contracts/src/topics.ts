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
  /**
   * Broker settings the topic must have wherever it is created (`stack:up`, test topics, deployments); settings
   * not named keep the broker's default. Absent: every setting is the broker's default.
   */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * Never deleted by time or size. For topics whose consumers rebuild state from the first event: a new
 * bet-gateway replica (or schema) must still learn a self-exclusion or a bonus grant of years ago. Not compaction:
 * the key is `tenant_id:player_id`, and a player can hold several grants and both a block and a self-exclusion,
 * each a separate event the read models need; compaction would keep only the player's last one.
 */
export const KEEP_FOREVER: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': '-1',
  'retention.bytes': '-1',
};

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
      'entitlement.consumed',
      'entitlement.restored',
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
    eventTypes: [
      'bonus.issued',
      'bonus.aborted',
      'bonus.revoked',
      'bonus.expired',
      'bonus.converted',
      'bonus.forfeited',
      'entitlement.granted',
    ],
    config: KEEP_FOREVER,
  },
  /** Wagering progress of bonus grants and the contribution schemas it is counted under (wagering-progress). */
  promoWagering: {
    name: 'promo.wagering.v1',
    namespace: 'pitboss.promo.wagering.v1',
    eventTypes: [
      'wagering.progressed',
      'wagering.completed',
      'wagering.reversed',
      'contribution_schema.published',
    ],
    config: KEEP_FOREVER,
  },
  /** Published promo offer versions and their status (bonus-grant). Kept forever: offers are rebuilt from it. */
  promoOffers: {
    name: 'promo.offers.v1',
    namespace: 'pitboss.promo.offers.v1',
    eventTypes: ['offer.published', 'offer.status_changed'],
    config: KEEP_FOREVER,
  },
  responsibleGaming: {
    name: 'rg.v1',
    namespace: 'pitboss.rg.v1',
    eventTypes: ['player.self_excluded', 'player.self_exclusion_ended', 'player.blocked', 'player.unblocked'],
    config: KEEP_FOREVER,
  },
  /**
   * Inbound, not ours: the platform's player profiles (one snapshot per change). Kept forever: bonus-grant's
   * read model of players is rebuilt from the first event.
   */
  players: {
    name: 'players.v1',
    namespace: 'pitboss.players.v1',
    eventTypes: ['player.profile_changed'],
    config: KEEP_FOREVER,
  },
  /** Inbound, not ours: deposits the platform's payments captured (bonus triggers; reconciliation's PSP matching). */
  deposits: {
    name: 'payments.deposits.v1',
    namespace: 'pitboss.payments.deposits.v1',
    eventTypes: ['deposit.captured'],
    config: KEEP_FOREVER,
  },
  /**
   * Checkpoints of every service's audit chain. Kept forever: the latest checkpoint is what proves a journal's
   * tail was not deleted, and an auditor may check any older one against the chain.
   */
  audit: {
    name: 'audit.v1',
    namespace: 'pitboss.audit.v1',
    eventTypes: ['audit.checkpoint'],
    config: KEEP_FOREVER,
  },
  /**
   * Results of reconciliation runs: one reconciliation.completed per run, one discrepancy.detected per discrepancy
   * it found (docs/reconciliation.md).
   */
  recon: {
    name: 'recon.v1',
    namespace: 'pitboss.recon.v1',
    eventTypes: ['reconciliation.completed', 'discrepancy.detected'],
  },
} as const satisfies Record<string, TopicDefinition>;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]['name'];

export const ALL_TOPICS: readonly TopicDefinition[] = Object.values(TOPICS);

export const DLQ_SUFFIX = '.dlq';

export function dlqTopicOf(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

/** A physical topic to create, with the broker settings it must have. */
export interface TopicToProvision {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * Every topic and its dead-letter twin, as `stack:up`, the test topics and deployments create them. Dead letters
 * keep forever whatever their topic does: each one is a message nobody has handled yet (a self-exclusion that
 * failed to apply, a settlement request), and expiring it would drop it silently. They are few.
 */
export function topicsToProvision(
  physical: (logicalTopic: string) => string = (name) => name,
): TopicToProvision[] {
  return ALL_TOPICS.flatMap((topic) => [
    { name: physical(topic.name), config: topic.config ?? {} },
    { name: dlqTopicOf(physical(topic.name)), config: KEEP_FOREVER },
  ]);
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
