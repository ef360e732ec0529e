import { DataSource, type MigrationInterface } from 'typeorm';

import { assertSchemaName } from '../database';

export type MigrationClass = new () => MigrationInterface;

export interface MigrationTarget {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly migrations: readonly MigrationClass[];
}

/**
 * Applies pending migrations to one service schema, creating the schema if needed. A session advisory lock on
 * the schema name makes concurrent runs (several replicas starting at once) wait instead of racing.
 */
export async function runMigrations(target: MigrationTarget): Promise<string[]> {
  const schema = assertSchemaName(target.schema);
  const dataSource = new DataSource({
    type: 'postgres',
    url: target.databaseUrl,
    schema,
    migrations: [...target.migrations],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    // One connection: the session advisory lock below then covers every query the runner makes.
    extra: { options: `-c search_path=${schema}`, max: 1 },
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await dataSource.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    try {
      const applied = await dataSource.runMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]);
    }
  } finally {
    await dataSource.destroy();
  }
}
