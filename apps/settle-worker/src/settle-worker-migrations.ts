import { sagaMigrations } from '@pitboss/saga';

/** Everything settle-worker's schema needs beyond the event store's own tables (service start and migrate job). */
export const settleWorkerMigrations = [...sagaMigrations];
