import { runMigrateJob } from '@pitboss/event-store';

import { wageringMigrations } from './migrations/wagering-migrations';

/** wagering-progress's migrate job: what the service applies at start, for `DATABASE_MIGRATE_ON_START=false`. */
runMigrateJob('wagering-progress', wageringMigrations);
