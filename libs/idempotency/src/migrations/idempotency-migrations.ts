import { type MigrationClass } from '@pitboss/event-store';

import { IdempotencyRecords1732000000100 } from './1732000000100-idempotency-records';

/** Migrations of every service that keeps idempotency records; run them with the service's other migrations. */
export const idempotencyMigrations: readonly MigrationClass[] = [IdempotencyRecords1732000000100];
