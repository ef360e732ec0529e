import { randomUUID } from 'node:crypto';

import { type EventEnvelope, messageKeyOf, type RgsRoundsPayloads, TOPICS } from '@pitboss/contracts';
import { EventPublisher } from '@pitboss/messaging';
import { type ServiceProcess, startServiceProcess, type TestTopics } from '@pitboss/testing';

/**
 * The built settle-worker as a real child process, started once its timer loop runs and (unless
 * `consuming: false`) its consumer has joined the group.
 */
export function startSettleWorker(
  env: Readonly<Record<string, string>>,
  { consuming = true }: { consuming?: boolean } = {},
): Promise<ServiceProcess> {
  const waitForLines = ['timer loop started', ...(consuming ? ['consuming rgs.rounds.v1'] : [])];
  return startServiceProcess('settle-worker', { env, waitForLines, waitReady: false });
}

/** The Prometheus text of a service's `GET /metrics`. */
export async function metricsOf(service: ServiceProcess): Promise<string> {
  return (await fetch(`${service.url}/metrics`)).text();
}

/** The value of one sample of a metric in Prometheus text (0 when absent). */
export function metricValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const line = text
    .split('\n')
    .find((candidate) =>
      candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `)
        ? Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`))
        : false,
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

type RoundEventType = keyof RgsRoundsPayloads;

/** Publishes rgs.rounds.v1 events as bet-gateway's relay would: Avro through the registry, keyed by player. */
export class RoundsPublisher {
  private readonly publisher: EventPublisher;

  constructor(topics: TestTopics) {
    this.publisher = new EventPublisher(topics.kafka, topics.codec, topics.naming);
  }

  connect(): Promise<void> {
    return this.publisher.connect();
  }

  disconnect(): Promise<void> {
    return this.publisher.disconnect();
  }

  async publish<T extends RoundEventType>(
    envelope: EventEnvelope<RgsRoundsPayloads[T]> & { event_type: T },
  ): Promise<void> {
    await this.publisher.publish([
      {
        topic: TOPICS.rounds.name,
        key: messageKeyOf(envelope),
        envelope: envelope as unknown as EventEnvelope,
        headers: { event_id: envelope.event_id, event_type: envelope.event_type, traceparent: TRACEPARENT },
      },
    ]);
  }
}

/** The facts of a request published by a gateway that did not send them (or for a bet it knew nothing of). */
export const UNKNOWN_REQUEST_FACTS = {
  stake: null,
  game_id: null,
  game_type: null,
  provider: null,
  bonus_grant_id: null,
  entitlement_id: null,
  funded_by: null,
} as const;

export const UNKNOWN_ROLLBACK_FACTS = (({ stake: _stake, ...facts }) => ({ ...facts, math_version: null }))(
  UNKNOWN_REQUEST_FACTS,
);

export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

export function roundEnvelope<T extends RoundEventType>(
  type: T,
  payload: RgsRoundsPayloads[T],
  who: { tenantId: string; playerId: string; eventId?: string },
): EventEnvelope<RgsRoundsPayloads[T]> & { event_type: T } {
  return {
    event_id: who.eventId ?? randomUUID(),
    event_type: type,
    event_version: 1,
    occurred_at: Date.now(),
    tenant_id: who.tenantId,
    region: 'test',
    player_id: who.playerId,
    session_id: `session-${who.playerId}`,
    round_id: `round-${randomUUID()}`,
    trace_id: TRACEPARENT.split('-')[1] ?? null,
    causation_id: null,
    idempotency_key: null,
    payload,
  };
}
