import { type Pool } from 'pg';

import { type ConsumerInbox, type InboxEntry } from '@pitboss/messaging';

import { withTransaction, type Transaction } from './database';

export interface InboxMessage {
  /** Name of the consuming handler: one event may be processed once by each consumer. */
  readonly consumer: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly sourceTopic?: string;
}

export type InboxOutcome = 'processed' | 'duplicate';

/**
 * Runs `effect` at most once per (consumer, event_id): the inbox row and the effect commit in one transaction,
 * so a redelivered event, or one delivered twice at the same time, finds the row and changes nothing. One
 * transaction per message: the per-message consumers' way (EventConsumer); the transport batches (`postgresInbox`).
 */
export async function processOnce(
  pool: Pool,
  message: InboxMessage,
  effect: (tx: Transaction) => Promise<void>,
): Promise<InboxOutcome> {
  return withTransaction(pool, async (tx) => {
    // A concurrent twin blocks on this row until the first commits, then sees the conflict.
    const claimed = await tx.query(
      `INSERT INTO inbox (consumer, event_id, event_type, source_topic) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, event_id) DO NOTHING`,
      [message.consumer, message.eventId, message.eventType, message.sourceTopic ?? null],
    );
    if (claimed.rowCount !== 1) return 'duplicate';
    await effect(tx);
    return 'processed';
  });
}

/**
 * Records the events' inbox rows for `consumer` in `tx` with one statement; returns the ids recorded now, not
 * before. An id twice in `events` is recorded (and returned) once. A concurrent twin of the same rows blocks
 * until this transaction ends, then gets nothing: the rows are inserted in the order given, which is the
 * partition's order for every consumer of it, so two claims of one chunk wait on each other without deadlock.
 */
export async function claimInboxRows(
  tx: Transaction,
  consumer: string,
  events: readonly InboxEntry[],
): Promise<ReadonlySet<string>> {
  if (events.length === 0) return new Set();
  const { rows } = await tx.query<{ event_id: string }>(
    `INSERT INTO inbox (consumer, event_id, event_type, source_topic)
     SELECT $1, e.event_id, e.event_type, e.source_topic
     FROM unnest($2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS e(event_id, event_type, source_topic, n)
     ORDER BY e.n
     ON CONFLICT (consumer, event_id) DO NOTHING
     RETURNING event_id`,
    [
      consumer,
      events.map((event) => event.eventId),
      events.map((event) => event.eventType),
      events.map((event) => event.sourceTopic),
    ],
  );
  // Postgres answers the uuid in its canonical form; the ids given are returned as given.
  const recorded = new Set(rows.map((row) => row.event_id));
  return new Set(events.map((event) => event.eventId).filter((id) => recorded.has(id.toLowerCase())));
}

/** The inbox of the service's own schema, for the consumer transport: one transaction per batch. */
export function postgresInbox(pool: Pool): ConsumerInbox<Transaction> {
  return {
    transaction: (work) => withTransaction(pool, work),
    claim: claimInboxRows,
  };
}
