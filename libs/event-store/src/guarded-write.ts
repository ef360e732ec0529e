/**
 * A write an append's own statement makes besides the events, such as an idempotency key's answer or the release
 * of a saga's lease, and the condition it needs: one round trip, and on a connection of its own no transaction.
 *
 * - `held` is a `SELECT … FOR UPDATE` that returns a row while the write is still the caller's to make (its
 *   claim or lease is still held). Without a row the append claims no version and writes nothing, and the
 *   append throws `GuardNotHeldError`. The lock keeps the row as `held` saw it until the statement (or the
 *   caller's transaction) ends.
 * - `write` is a data-modifying statement that reads the append's `claimed` CTE (`FROM claimed`,
 *   `USING claimed`), so it runs only when the version was claimed. It has a `RETURNING` clause; its rows come
 *   back as the append's `written`.
 *
 * Both number their parameters from `$1` over `parameters`; the append renumbers them after its own.
 * The SQL is the code's constants, never input.
 */
export interface GuardedWrite {
  readonly held: string;
  readonly write: string;
  readonly parameters: readonly unknown[];
}

/** The guard of a guarded append found nothing to hold: the claim or lease passed to someone else. */
export class GuardNotHeldError extends Error {
  constructor(readonly streamId: string) {
    super(`the append to ${streamId} lost its guard: what it was to write is no longer the caller's`);
    this.name = 'GuardNotHeldError';
  }
}

/** `sql` with its `$n` parameters moved to `$(n + offset)`. */
export function renumbered(sql: string, offset: number): string {
  return sql.replace(/\$(\d+)/g, (_, index: string) => `$${Number(index) + offset}`);
}
