import { sagaMigrations } from '@pitboss/saga';

import { BetFacts1734000001000 } from './migrations/1734000001000-bet-facts';

/** Everything settle-worker's schema needs beyond the event store's own tables (service start and migrate job). */
export const settleWorkerMigrations = [...sagaMigrations, BetFacts1734000001000];
