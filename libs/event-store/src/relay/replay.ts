import { type Pool } from 'pg';

import { withTransaction } from '../database';
import { enqueueForPublication } from '../outbox-writer';
import { readEventsBetween } from '../postgres-event-store';

export interface ReplayRange {
  /** First global position to replay (inclusive). */
  readonly fromPosition: bigint;
  /** Last global position to replay (inclusive). */
  readonly toPosition: bigint;
  /** Only these event types, when given. */
  readonly eventTypes?: readonly string[];
}

/**
 * Re-enqueues stored events in `range` into the outbox, in global order and in batches, so the relay
 * publishes them again (BI backfills, recovery from a broker that lost acknowledged messages). The events
 * keep their event_id: consumers that already saw them drop the duplicates.
 */
export async function replayStoredEvents(pool: Pool, range: ReplayRange, batchSize = 1_000): Promise<number> {
  const wanted = range.eventTypes && new Set(range.eventTypes);
  let after = range.fromPosition - 1n;
  let enqueued = 0;
  for (;;) {
    const events = await readEventsBetween(pool, {
      from: after.toString(),
      to: range.toPosition.toString(),
      limit: batchSize,
    });
    if (events.length === 0) return enqueued;
    const selected = wanted ? events.filter((event) => wanted.has(event.type)) : events;
    enqueued += await withTransaction(pool, (tx) => enqueueForPublication(tx, selected));
    after = BigInt((events.at(-1) as (typeof events)[number]).globalPosition);
  }
}
