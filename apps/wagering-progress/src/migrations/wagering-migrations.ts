import { GovernanceTables1733000000000, tenantReaderRoleMigration } from '@pitboss/governance';

import { WageringTables1735200000000 } from './1735200000000-wagering-tables';

/** The tables API reads go through as the reader role, under row-level security by tenant. */
export const TENANT_READ_TABLES = [
  'contribution_schemas',
  'wagering_grants',
  'wagering_contributions',
  'change_requests',
  'audit_journal',
] as const;

/** Everything wagering-progress's schema needs beyond the event store's own tables (start and migrate job). */
export const wageringMigrations = [
  GovernanceTables1733000000000,
  WageringTables1735200000000,
  tenantReaderRoleMigration(1735200009000, TENANT_READ_TABLES),
];
