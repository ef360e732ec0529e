import { infrastructureConfig, serviceSchema } from '@pitboss/platform-config';

import { eventStoreMigrations } from './event-store-migrations';
import { runMigrations, type MigrationClass } from './run-migrations';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Everything a service's schema needs, in order: the event store's tables, then the service's own. The one
 * composition both the service at start (`EventStoreModule`) and its migrate job use, so they cannot drift.
 */
export function serviceMigrations(own: readonly MigrationClass[] = []): MigrationClass[] {
  return [...eventStoreMigrations, ...own];
}

/** Applies a service's pending migrations to its schema (`DATABASE_SCHEMA`, else its name) of `DATABASE_URL`. */
export async function migrateServiceSchema(
  serviceName: string,
  own: readonly MigrationClass[],
  env: Env = process.env,
): Promise<{ schema: string; applied: string[] }> {
  const schema = serviceSchema(serviceName, env);
  const { databaseUrl } = infrastructureConfig(env);
  const applied = await runMigrations({ databaseUrl, schema, migrations: serviceMigrations(own) });
  return { schema, applied };
}

/**
 * A service's migrate job (`src/migrate.ts` of each app, run by `npm run db:migrate` and by deployments before
 * rollout with `DATABASE_MIGRATE_ON_START=false`): one line per outcome, exit code 1 on failure.
 */
export function runMigrateJob(serviceName: string, own: readonly MigrationClass[]): void {
  migrateServiceSchema(serviceName, own).then(
    ({ schema, applied }) =>
      console.log(`db: ${schema}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}`),
    (error: unknown) => {
      console.error(`db: ${serviceName}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
