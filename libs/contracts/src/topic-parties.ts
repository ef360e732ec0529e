import { type TOPICS } from './topics';

/** A service reading a topic, with the consumer group it reads in (before `KAFKA_TOPIC_PREFIX`). */
export interface TopicConsumer {
  readonly service: string;
  readonly group: string;
}

/** Who writes and who reads a topic. The AsyncAPI document's operations are generated from it. */
export interface TopicParties {
  /**
   * Services whose outbox holds the topic's events (outbox-relay publishes every outbox; no service produces to
   * Kafka itself). Empty while the topic's producer is not built; `plannedProducer` names it.
   */
  readonly producers: readonly string[];
  readonly plannedProducer?: string;
  readonly consumers: readonly TopicConsumer[];
}

/**
 * Producers and consumers of every topic in `TOPICS`, as the apps are wired today (the consumer groups are the
 * ones in each app's `*.consumer.ts`; noc's is the default of `NOC_CONSUMER_GROUP`). Keyed like
 * `TOPICS`, so a topic added there does not compile until its parties are written here.
 * Each `.dlq` twin is written by the consumers of its topic (the messages they gave up on) and read by nobody
 * automatically; noc reads only its offsets.
 */
export const TOPIC_PARTIES: Readonly<Record<keyof typeof TOPICS, TopicParties>> = {
  rounds: {
    producers: ['bet-gateway'],
    consumers: [
      { service: 'settle-worker', group: 'settle-worker' },
      { service: 'noc', group: 'noc' },
      { service: 'reconciliation', group: 'reconciliation' },
      { service: 'bonus-grant', group: 'bonus-grant-entitlements' },
    ],
  },
  settlements: {
    producers: ['settle-worker'],
    consumers: [
      { service: 'bet-gateway', group: 'bet-gateway' },
      { service: 'noc', group: 'noc' },
      { service: 'reconciliation', group: 'reconciliation' },
      { service: 'wagering-progress', group: 'wagering-progress' },
      { service: 'bonus-grant', group: 'bonus-grant-entitlement-wins' },
    ],
  },
  promoGrants: {
    producers: ['bonus-grant'],
    consumers: [
      { service: 'bet-gateway', group: 'bet-gateway' },
      { service: 'reconciliation', group: 'reconciliation' },
      { service: 'wagering-progress', group: 'wagering-progress' },
    ],
  },
  responsibleGaming: {
    producers: [],
    plannedProducer: 'responsible-gaming',
    consumers: [
      { service: 'bet-gateway', group: 'bet-gateway' },
      // and bonus-grant-grants (one receive operation per service in the AsyncAPI document)
      { service: 'bonus-grant', group: 'bonus-grant-facts' },
    ],
  },
  /** Only bet-gateway publishes its audit head today; the promo services keep journals without checkpoints. */
  audit: {
    producers: ['bet-gateway'],
    consumers: [],
  },
  promoWagering: {
    producers: ['wagering-progress'],
    consumers: [
      // and bonus-grant-grants (one receive operation per service in the AsyncAPI document)
      { service: 'bonus-grant', group: 'bonus-grant-facts' },
    ],
  },
  promoOffers: {
    producers: ['bonus-grant'],
    consumers: [],
  },
  /** Written by the platform (its simulator in local runs: tools/platform-simulator). */
  players: {
    producers: [],
    plannedProducer: 'platform',
    consumers: [{ service: 'bonus-grant', group: 'bonus-grant-facts' }],
  },
  deposits: {
    producers: [],
    plannedProducer: 'platform',
    consumers: [
      { service: 'reconciliation', group: 'reconciliation' },
      // and bonus-grant-grants (one receive operation per service in the AsyncAPI document)
      { service: 'bonus-grant', group: 'bonus-grant-facts' },
    ],
  },
  /** Read by alerting and BI, outside the platform's services. */
  recon: {
    producers: ['reconciliation'],
    consumers: [],
  },
};
