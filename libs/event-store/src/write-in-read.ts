import { type QueryResultRow } from 'pg';

import { renumbered } from './guarded-write';

/**
 * A write a read makes in its own statement (one round trip), such as an idempotency key's claim with the first
 * read of a decision: a data-modifying statement with a `RETURNING` clause, its parameters numbered from `$1`.
 * It runs whatever the read finds, in the caller's transaction (which a failed decision rolls back with it).
 * The SQL is the code's constants, never input.
 */
export interface WriteInRead {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * The read's statement with `write` in it: `WITH written AS (…)` to put before the read's `SELECT`, whose own
 * parameters are the first `readParameters`, and `WRITTEN_COLUMN` to add to its columns. The read must answer
 * at least one row (`FROM (VALUES (1)) AS one LEFT JOIN …`) for `writtenBy` to find what the write returned.
 */
export function writtenWith(write: WriteInRead, readParameters: number): string {
  return `WITH written AS (${renumbered(write.sql, readParameters)})`;
}

export const WRITTEN_COLUMN = '(SELECT json_agg(w) FROM written w) AS written';

/** The rows the write returned, from the read's first row (as JSON: a bigint comes back as a number). */
export function writtenBy(rows: readonly QueryResultRow[]): QueryResultRow[] {
  return (rows[0]?.['written'] as QueryResultRow[] | null | undefined) ?? [];
}
