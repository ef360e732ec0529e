import { GovernanceTables1733000000000, tenantReaderRoleMigration } from '@pitboss/governance';

import { Entitlements1736200001000 } from './entitlements/migrations/1736200001000-entitlements';
import { grantsMigrations } from './grants/grants-migrations';
import {
  BONUS_GRANT_OFFER_TABLES,
  OffersAndPlayers1736000001000,
} from './migrations/1736000001000-offers-and-players';

/** Everything bonus-grant's schema needs beyond the event store's own tables (service start and migrate job). */
export const bonusGrantMigrations = [
  GovernanceTables1733000000000,
  OffersAndPlayers1736000001000,
  // The reader role API reads switch to (row-level security): governance's tables and the offers' and players'.
  tenantReaderRoleMigration(1736000002000, [
    'change_requests',
    'audit_journal',
    'config_versions',
    ...BONUS_GRANT_OFFER_TABLES,
  ]),
  // Durable timers, idempotency records and the grants index (apps/bonus-grant/src/grants).
  ...grantsMigrations,
  // Free spins and free bets (apps/bonus-grant/src/entitlements).
  Entitlements1736200001000,
];
