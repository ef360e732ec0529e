import { runMigrateJob } from '@pitboss/event-store';

import { reconciliationMigrations } from './reconciliation-migrations';

/** reconciliation's migrate job: what the service applies at start, for `DATABASE_MIGRATE_ON_START=false`. */
runMigrateJob('reconciliation', reconciliationMigrations);
