import { type EventEnvelope } from '@pitboss/contracts';

/**
 * Events as the store keeps them. `type` is the wire event type (`bet.settled`), so an event needs no renaming
 * between the domain, the store and Kafka.
 */
export interface NewEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
  /** Supply one derived from business ids to make a retried append refuse the duplicate. */
  readonly eventId?: string;
  readonly eventVersion?: number;
  readonly occurredAt?: Date;
}

/** Who and what an appended batch concerns; becomes the envelope fields of each event. */
export interface EventContext {
  readonly tenantId: string;
  readonly playerId?: string | null;
  readonly sessionId?: string | null;
  readonly roundId?: string | null;
  /** W3C traceparent of the request; travels to Kafka headers and the envelope's trace_id. */
  readonly traceparent?: string | null;
  readonly causationId?: string | null;
  readonly idempotencyKey?: string | null;
}

/** The envelope fields an event carries besides its own id, type and payload, plus the full traceparent. */
export type StoredEventMetadata = Pick<
  EventEnvelope,
  | 'tenant_id'
  | 'region'
  | 'player_id'
  | 'session_id'
  | 'round_id'
  | 'trace_id'
  | 'causation_id'
  | 'idempotency_key'
> & { readonly traceparent: string | null };

export interface StoredEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
  readonly eventId: string;
  readonly eventVersion: number;
  readonly occurredAt: Date;
  readonly streamId: string;
  readonly streamVersion: number;
  /** bigint as a decimal string: the event's place in the service's total order. */
  readonly globalPosition: string;
  readonly metadata: StoredEventMetadata;
}

/** `no_stream`: the stream must not exist yet; a number: the version the caller last saw. */
export type ExpectedVersion = number | 'no_stream';
