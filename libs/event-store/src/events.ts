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

export interface StoredEventMetadata {
  readonly tenant_id: string;
  readonly region: string;
  readonly player_id: string | null;
  readonly session_id: string | null;
  readonly round_id: string | null;
  readonly trace_id: string | null;
  readonly traceparent: string | null;
  readonly causation_id: string | null;
  readonly idempotency_key: string | null;
}

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
