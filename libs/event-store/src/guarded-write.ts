/**
 * Writes an append's own statement makes besides the events, such as an idempotency key's answer or the release
 * of a saga's lease: one round trip, and on a connection of its own no transaction. Each is guarded by the
 * append's version claim, and with `held` by a row it locks too.
 *
 * - `held` (optional) is a `SELECT … FOR UPDATE` that returns a row while the writes are still the caller's to
 *   make (its claim or lease is still held). Without a row the append claims no version and writes nothing, and
 *   the append throws `GuardNotHeldError`. The lock keeps the row as `held` saw it until the statement (or the
 *   caller's transaction) ends.
 * - `writes` names data-modifying statements, each a CTE of the append's statement under its name (not one of
 *   the append's own: `held`, `claimed`, `appended`, `queued`, `projected`). Each reads the append's `claimed`
 *   CTE (`FROM claimed`, `USING claimed`), so it runs only when the version was claimed, and has a `RETURNING`
 *   clause; its rows come back under its name in the append's `written`. A later one may read an earlier one.
 *
 * All number their parameters from `$1` over `parameters`; the append renumbers them after its own.
 * The SQL is the code's constants, never input.
 */
export interface GuardedWrite {
  readonly held?: string;
  readonly writes: Readonly<Record<string, string>>;
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
