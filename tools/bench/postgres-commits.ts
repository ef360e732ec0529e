import { type Client } from 'pg';

export interface CommitCount {
  readonly database: string;
  /** xact_commit + xact_rollback of pg_stat_database for the database, since the stats were last reset. */
  readonly transactions: number;
}

/**
 * The database's transaction counter. Backends report their counts at most about once a second (PostgreSQL 15+
 * shared-memory stats; idle backends within ~10 s), so a reading may lag the very last second's transactions.
 */
export async function readCommits(db: Client): Promise<CommitCount> {
  const result = await db.query<{ datname: string; transactions: string }>(
    `SELECT datname, (xact_commit + xact_rollback)::text AS transactions
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error('pg_stat_database has no row for the current database');
  return { database: row.datname, transactions: Number(row.transactions) };
}
