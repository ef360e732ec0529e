import { type MigrationClass } from '@pitboss/event-store';

import { SagaTables1732000000200 } from './1732000000200-saga-tables';

/** Migrations of every service that runs sagas; run them after the event store's own. */
export const sagaMigrations: readonly MigrationClass[] = [SagaTables1732000000200];
