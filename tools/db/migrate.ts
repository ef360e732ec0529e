import { eventStoreMigrations, runMigrations } from '@pitboss/event-store';
import { infrastructureConfig, serviceSchema, SERVICES_WITH_EVENT_STORE } from '@pitboss/platform-config';

/** `npm run db:migrate`: applies every service's pending migrations to its own schema of DATABASE_URL. */
async function main(): Promise<void> {
  const { databaseUrl } = infrastructureConfig();
  for (const service of SERVICES_WITH_EVENT_STORE) {
    const schema = serviceSchema(service, {});
    const applied = await runMigrations({ databaseUrl, schema, migrations: eventStoreMigrations });
    console.log(`db: ${schema}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}`);
  }
}

main().catch((error: unknown) => {
  console.error(`db: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
