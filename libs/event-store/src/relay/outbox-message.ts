import { type EventEnvelope } from '@pitboss/contracts';

/** An outbox row on its way to Kafka. */
export interface OutboxMessage {
  readonly position: string;
  /** Logical topic name. */
  readonly topic: string;
  readonly key: string;
  readonly envelope: EventEnvelope;
  readonly headers: Readonly<Record<string, string | null>>;
  /** When the row was inserted, inside the writer's transaction (an upper bound of its commit delay). */
  readonly createdAt: Date;
}

/** Publishes a batch in order and resolves only once every message is acknowledged. */
export type PublishBatch = (messages: readonly OutboxMessage[]) => Promise<void>;

/** What a relay reports; the app turns it into metrics and logs. */
export interface RelayObserver {
  roleChanged(source: string, role: 'active' | 'standby' | 'stopped'): void;
  published(source: string, messages: readonly OutboxMessage[], publishedAt: Date): void;
  publishFailed(source: string, error: unknown, attempt: number): void;
  /** One read of the outbox (one statement: one transaction, empty or not) and how many rows it found. */
  batchRead(source: string, rows: number): void;
  /** Age of the oldest unpublished row, 0 when the outbox is empty. */
  outboxLag(source: string, ageMs: number): void;
  connectionLost(source: string, error: unknown): void;
}
