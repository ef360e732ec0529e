import { idempotencyMigrations } from '@pitboss/idempotency';

import { GatewayTables1732000001000 } from './1732000001000-gateway-tables';
import { SessionsExpiryIndex1732000002000 } from './1732000002000-sessions-expiry-index';

/** Everything bet-gateway's schema needs beyond the event store's own tables (service start and migrate job). */
export const gatewayMigrations = [
  ...idempotencyMigrations,
  GatewayTables1732000001000,
  SessionsExpiryIndex1732000002000,
];
