import { GovernanceTables1733000000000, tenantReaderRoleMigration } from '@pitboss/governance';
import { idempotencyMigrations } from '@pitboss/idempotency';

import { GatewayTables1732000001000 } from './1732000001000-gateway-tables';
import { SessionsExpiryIndex1732000002000 } from './1732000002000-sessions-expiry-index';
import { SessionsCountry1733000001000 } from './1733000001000-sessions-country';
import { TenantRowSecurity1733000002000 } from './1733000002000-tenant-row-security';
import { BonusGrantsExcludedGames1735200001000 } from './1735200001000-bonus-grants-excluded-games';
import { BetEntitlements1736300001000 } from './1736300001000-bet-entitlements';

/** The tables API reads go through as the reader role, under row-level security by tenant. */
export const TENANT_READ_TABLES = [
  'bet_index',
  'events',
  'sessions',
  'bonus_grants',
  'player_restrictions',
  'change_requests',
  'audit_journal',
  'config_versions',
] as const;

/** Everything bet-gateway's schema needs beyond the event store's own tables (service start and migrate job). */
export const gatewayMigrations = [
  ...idempotencyMigrations,
  GatewayTables1732000001000,
  SessionsExpiryIndex1732000002000,
  GovernanceTables1733000000000,
  SessionsCountry1733000001000,
  TenantRowSecurity1733000002000,
  tenantReaderRoleMigration(1733000003000, TENANT_READ_TABLES),
  BonusGrantsExcludedGames1735200001000,
  BetEntitlements1736300001000,
];
