/**
 * The wire shape of every event (see `avro/common/envelope.avsc`), with snake_case fields exactly as in Avro so
 * nothing is renamed between the outbox, Kafka and BI. `occurred_at` is epoch milliseconds.
 */
export interface EventEnvelope<TPayload = Record<string, unknown>> {
  readonly event_id: string;
  readonly event_type: string;
  readonly event_version: number;
  readonly occurred_at: number;
  readonly tenant_id: string;
  readonly region: string;
  readonly player_id: string | null;
  readonly session_id: string | null;
  readonly round_id: string | null;
  readonly trace_id: string | null;
  readonly causation_id: string | null;
  readonly idempotency_key: string | null;
  readonly payload: TPayload;
}

/** Kafka message key: one player's events stay in order on one partition. */
export function messageKeyOf(envelope: Pick<EventEnvelope, 'tenant_id' | 'player_id'>): string {
  return `${envelope.tenant_id}:${envelope.player_id ?? ''}`;
}
