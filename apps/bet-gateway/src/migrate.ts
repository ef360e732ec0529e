import { runMigrateJob } from '@pitboss/event-store';

import { gatewayMigrations } from './migrations/gateway-migrations';

/** bet-gateway's migrate job: what the service applies at start, for `DATABASE_MIGRATE_ON_START=false`. */
runMigrateJob('bet-gateway', gatewayMigrations);
