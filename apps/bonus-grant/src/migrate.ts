import { runMigrateJob } from '@pitboss/event-store';

import { bonusGrantMigrations } from './bonus-grant-migrations';

/** bonus-grant's migrate job: what the service applies at start, for `DATABASE_MIGRATE_ON_START=false`. */
runMigrateJob('bonus-grant', bonusGrantMigrations);
