/** One message as a consumer saw it: enough to count it and to time its way from commit to Kafka. */
export interface Delivery {
  readonly eventId: string;
  readonly eventType: string;
  /** Envelope `occurred_at` (epoch ms): set by the event store just before the append commits. */
  readonly occurredAt: number;
  /** Consumer clock when the decoded message reached the handler (epoch ms, same machine as the writer). */
  readonly receivedAt: number;
}

export interface DeliveryTally {
  readonly expected: number;
  /** Distinct expected events received at least once. */
  readonly unique: number;
  /** Deliveries of an expected event beyond its first. */
  readonly duplicates: number;
  readonly missing: number;
  /** Messages that are not ours (other writers on a shared topic): reported, never counted as ours. */
  readonly foreign: number;
  readonly byType: ReadonlyMap<string, number>;
  /** Commit→consumer latency of each expected event's first delivery, ascending. */
  readonly latenciesMs: readonly number[];
  readonly firstReceivedAt: number | undefined;
  readonly lastReceivedAt: number | undefined;
}

export function tallyDeliveries(
  expectedIds: ReadonlySet<string>,
  deliveries: readonly Delivery[],
): DeliveryTally {
  const firsts = new Map<string, Delivery>();
  let duplicates = 0;
  let foreign = 0;
  for (const delivery of deliveries) {
    if (!expectedIds.has(delivery.eventId)) foreign++;
    else if (firsts.has(delivery.eventId)) duplicates++;
    else firsts.set(delivery.eventId, delivery);
  }
  const byType = new Map<string, number>();
  for (const { eventType } of firsts.values()) byType.set(eventType, (byType.get(eventType) ?? 0) + 1);
  const received = [...firsts.values()];
  return {
    expected: expectedIds.size,
    unique: firsts.size,
    duplicates,
    missing: expectedIds.size - firsts.size,
    foreign,
    byType,
    latenciesMs: received.map((delivery) => delivery.receivedAt - delivery.occurredAt).sort((a, b) => a - b),
    firstReceivedAt: received.reduce<number | undefined>(
      (first, delivery) => Math.min(first ?? delivery.receivedAt, delivery.receivedAt),
      undefined,
    ),
    lastReceivedAt: received.reduce<number | undefined>(
      (last, delivery) => Math.max(last ?? delivery.receivedAt, delivery.receivedAt),
      undefined,
    ),
  };
}

/**
 * Commit→consumer latencies (ascending) of the expected events that occurred at or after `sinceMs`, first
 * deliveries only: the later part of a run, once the relayer is warm (a JVM's JIT compiles during the first part).
 */
export function latenciesSince(
  expectedIds: ReadonlySet<string>,
  deliveries: readonly Delivery[],
  sinceMs: number,
): number[] {
  const firsts = new Map<string, Delivery>();
  for (const delivery of deliveries)
    if (expectedIds.has(delivery.eventId) && !firsts.has(delivery.eventId))
      firsts.set(delivery.eventId, delivery);
  return [...firsts.values()]
    .filter((delivery) => delivery.occurredAt >= sinceMs)
    .map((delivery) => delivery.receivedAt - delivery.occurredAt)
    .sort((a, b) => a - b);
}
