import { runMigrateJob } from '@pitboss/event-store';

import { settleWorkerMigrations } from './settle-worker-migrations';

/** settle-worker's migrate job: what the service applies at start, for `DATABASE_MIGRATE_ON_START=false`. */
runMigrateJob('settle-worker', settleWorkerMigrations);
