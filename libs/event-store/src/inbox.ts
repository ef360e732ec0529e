import { type Pool } from 'pg';

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
 * so a redelivered event, or one delivered twice at the same time, finds the row and changes nothing.
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
