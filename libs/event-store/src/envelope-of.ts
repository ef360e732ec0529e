import { type EventEnvelope } from '@pitboss/contracts';

import { type StoredEvent } from './events';

/** What an envelope is made of: all known before the event is inserted (no position). */
export type PublishableEvent = Pick<
  StoredEvent,
  'eventId' | 'type' | 'eventVersion' | 'occurredAt' | 'data' | 'metadata'
>;

/** The wire envelope of a stored event: what the outbox holds and what replays re-publish. */
export function envelopeOf(event: PublishableEvent): EventEnvelope {
  const { metadata } = event;
  return {
    event_id: event.eventId,
    event_type: event.type,
    event_version: event.eventVersion,
    occurred_at: event.occurredAt.getTime(),
    tenant_id: metadata.tenant_id,
    region: metadata.region,
    player_id: metadata.player_id,
    session_id: metadata.session_id,
    round_id: metadata.round_id,
    trace_id: metadata.trace_id,
    causation_id: metadata.causation_id,
    idempotency_key: metadata.idempotency_key,
    payload: event.data as Record<string, unknown>,
  };
}
