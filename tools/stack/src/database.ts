import { Client } from 'pg';
import { SERVICES_WITH_EVENT_STORE, serviceSchema } from '@pitboss/platform-config';
import { StackError } from './errors';
import { maintenanceUrl } from './postgres';
import type { StackConfig } from './stack-config';

/** The relay keeps its own checkpoints, so it owns a schema even though it has no event store. */
const SERVICES_WITH_SCHEMA = [...SERVICES_WITH_EVENT_STORE, 'outbox-relay'] as const;

// Error codes another process racing us on the same CREATE produces; the object exists then, which is all we want.
const ALREADY_EXISTS = new Set(['42P04', '42P06', '23505']);

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function ignoreAlreadyExists(error: unknown): void {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && ALREADY_EXISTS.has(code)) return;
  throw error;
}

async function withClient<T>(connectionString: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the application database and one schema per service; a no-op when they exist. */
export async function ensureDatabase(config: StackConfig, log: (line: string) => void): Promise<void> {
  const database = decodeURIComponent(new URL(config.databaseUrl).pathname.replace(/^\//, ''));
  if (database === '') throw new StackError('DATABASE_URL names no database (expected …/pitboss)');

  const created = await withClient(maintenanceUrl(config), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount !== 0) return false;
    await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`).catch(ignoreAlreadyExists);
    return true;
  });

  // serviceSchema() with an empty env: DATABASE_SCHEMA overrides one service's schema, not the whole list.
  const schemas = SERVICES_WITH_SCHEMA.map((service) => serviceSchema(service, {}));
  await withClient(config.databaseUrl, async (client) => {
    for (const schema of schemas) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`).catch(ignoreAlreadyExists);
    }
  });
  log(`postgres: database ${database} ${created ? 'created' : 'present'}, schemas ${schemas.join(', ')}`);
}
