/**
 * A read-model row kept beside a stream (`bet_index`, `saga_instances`), written by the append's own statement:
 * inserted, or on a conflict of its key updated to these values with `updated_at = now()`, and only when the
 * append's version claim succeeds. One round trip for the events, their outbox rows and the row.
 * `table` and the column names are the code's constants, never input.
 */
export interface ProjectionRow {
  readonly table: string;
  /** The columns of the unique key the upsert conflicts on; they are in `values` too. */
  readonly key: readonly string[];
  /** Every column written, by name. */
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * The upsert of `row` as a statement for a `WITH` that has a `claimed` CTE (one row when the claim succeeded,
 * none when it was lost), its parameters numbered from `$firstParameter`.
 */
export function projectionUpsertOf(
  row: ProjectionRow,
  firstParameter: number,
): { readonly sql: string; readonly parameters: unknown[] } {
  const columns = Object.keys(row.values);
  const updated = columns.filter((column) => !row.key.includes(column));
  const placeholders = columns.map((_, index) => `$${firstParameter + index}`);
  const sets = [...updated.map((column) => `${column} = EXCLUDED.${column}`), 'updated_at = now()'];
  return {
    sql:
      `INSERT INTO ${row.table} (${columns.join(', ')}) SELECT ${placeholders.join(', ')} FROM claimed ` +
      `ON CONFLICT (${row.key.join(', ')}) DO UPDATE SET ${sets.join(', ')}`,
    parameters: Object.values(row.values),
  };
}
