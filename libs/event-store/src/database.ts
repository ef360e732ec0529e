import { Client, Pool, type PoolClient } from 'pg';

import { ConfigError } from '@pitboss/platform-config';

import { PreparedStatementClient } from './prepared-statement-client';

export interface DatabaseOptions {
  readonly databaseUrl: string;
  /** The service's own schema; every unqualified table name resolves in it. */
  readonly schema: string;
  readonly maxConnections?: number;
  readonly applicationName?: string;
}

/** A transaction's connection. Handlers receive it so their effect commits together with what they record. */
export type Transaction = PoolClient;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return schema;
}

export function createPool(options: DatabaseOptions): Pool {
  return new Pool({
    connectionString: options.databaseUrl,
    // A Postgres that stops answering must fail requests, not hold them forever.
    connectionTimeoutMillis: 5_000,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'pitboss',
    options: `-c search_path=${assertSchemaName(options.schema)}`,
    Client: preparedStatementsOn() ? PreparedStatementClient : Client,
  });
}

/** `DATABASE_PREPARED_STATEMENTS` (default `true`): parameterised queries as named prepared statements. */
export function preparedStatementsOn(
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  const raw = (env['DATABASE_PREPARED_STATEMENTS'] ?? 'true').trim().toLowerCase();
  if (raw !== 'true' && raw !== 'false')
    throw new ConfigError(`DATABASE_PREPARED_STATEMENTS must be true or false, got "${raw}"`);
  return raw === 'true';
}

/** Runs `work` in one READ COMMITTED transaction: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(pool: Pool, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no listener of the pool's: a connection lost meanwhile (Postgres restarted, backend
  // terminated) would emit an unhandled 'error' and end the process. The query in flight fails on its own; the
  // listener keeps the process up and the connection is destroyed, not handed to the next transaction.
  let lost: Error | undefined;
  const onError = (error: Error): void => {
    lost = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      lost ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}
