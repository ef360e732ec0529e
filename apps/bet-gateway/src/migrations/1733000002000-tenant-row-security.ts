import { type MigrationInterface, type QueryRunner } from 'typeorm';

import { tenantPolicySql } from '@pitboss/governance';

/**
 * Row-level security by tenant on the gateway's tables an API call reads: the bet index (rounds), the bets'
 * events (a bet's history), sessions and the read models. It binds the schema's reader role, which API reads
 * use; the owner (writes, cross-tenant jobs) is exempt as Postgres defines (see docs/security.md).
 */
export class TenantRowSecurity1733000002000 implements MigrationInterface {
  name = 'TenantRowSecurity1733000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['bet_index', 'sessions', 'bonus_grants', 'player_restrictions']) {
      await queryRunner.query(tenantPolicySql(table));
    }
    await queryRunner.query(tenantPolicySql('events', "(metadata->>'tenant_id')"));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['bet_index', 'sessions', 'bonus_grants', 'player_restrictions', 'events']) {
      await queryRunner.query(
        `DROP POLICY ${table}_by_tenant ON ${table}; ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`,
      );
    }
  }
}
