import { randomBytes } from 'node:crypto';

import { type Pool } from 'pg';

import { createPool, runMigrations, type MigrationClass } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';

export interface TestSchema {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated Postgres schema of its own, so tests run in parallel without seeing each other's rows. */
export async function createTestSchema(
  migrations: readonly MigrationClass[],
  label = 't',
): Promise<TestSchema> {
  const { databaseUrl } = infrastructureConfig();
  const schema = `${label}_${randomBytes(5).toString('hex')}`;
  await runMigrations({ databaseUrl, schema, migrations });
  const pool = createPool({ databaseUrl, schema, maxConnections: 20, applicationName: `test:${schema}` });
  return {
    databaseUrl,
    schema,
    pool,
    async drop() {
      await pool.end();
      const admin = createPool({ databaseUrl, schema: 'public', maxConnections: 1 });
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
