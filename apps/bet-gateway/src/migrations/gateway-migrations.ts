import { idempotencyMigrations } from '@pitboss/idempotency';

import { GatewayTables1732000001000 } from './1732000001000-gateway-tables';

/** Everything bet-gateway's schema needs beyond the event store's own tables. */
export const gatewayMigrations = [...idempotencyMigrations, GatewayTables1732000001000];
