import { EventStoreTables1732000000000 } from './1732000000000-event-store-tables';
import { type MigrationClass } from './run-migrations';

/** Migrations every service with an event store runs, in order. */
export const eventStoreMigrations: readonly MigrationClass[] = [EventStoreTables1732000000000];
