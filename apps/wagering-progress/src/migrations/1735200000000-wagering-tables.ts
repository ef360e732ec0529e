import { type MigrationInterface, type QueryRunner } from 'typeorm';

import { tenantPolicySql } from '@pitboss/governance';

/**
 * wagering-progress's tables beside its event store: contribution schema versions (immutable), the grants it
 * counts for (the projection of each grant's wagering stream), the per-bet receipts, and bonus bets that arrived
 * before their grant's bonus.issued (drained when it comes).
 */
export class WageringTables1735200000000 implements MigrationInterface {
  name = 'WageringTables1735200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE contribution_schemas (
        tenant_id text NOT NULL,
        schema_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        rules jsonb NOT NULL,
        default_pct_bp integer NOT NULL CHECK (default_pct_bp BETWEEN 0 AND 10000),
        published_by text NOT NULL,
        change_request_id uuid,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, schema_id, version)
      );
      -- A published version never changes: the database refuses it, whatever the code does.
      CREATE FUNCTION contribution_schemas_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'contribution schema versions are immutable';
      END $$;
      CREATE TRIGGER contribution_schemas_immutable BEFORE UPDATE OR DELETE ON contribution_schemas
        FOR EACH ROW EXECUTE FUNCTION contribution_schemas_immutable();

      CREATE TABLE wagering_grants (
        tenant_id text NOT NULL,
        grant_id text NOT NULL,
        player_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'completed', 'ended')),
        wagering_base text NOT NULL,
        active_from timestamptz NOT NULL,
        currency char(3) NOT NULL,
        required_minor bigint NOT NULL,
        contributed_minor bigint NOT NULL DEFAULT 0,
        schema_id text,
        schema_version integer,
        ended_reason text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, grant_id)
      );
      CREATE INDEX wagering_grants_active_by_player ON wagering_grants (tenant_id, player_id)
        WHERE status = 'active';

      CREATE TABLE wagering_contributions (
        tenant_id text NOT NULL,
        grant_id text NOT NULL,
        bet_id text NOT NULL,
        seq bigserial NOT NULL,
        bet_at timestamptz NOT NULL,
        stake_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        game_id text,
        provider text,
        game_type text,
        funded_by text,
        schema_id text,
        schema_version integer,
        rule text NOT NULL,
        pct_bp integer NOT NULL,
        contribution_minor bigint NOT NULL,
        reason text,
        rolled_back boolean NOT NULL DEFAULT false,
        -- When the receipt was written (clock time, not the transaction's): the bench's settled → recorded lag.
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (tenant_id, grant_id, bet_id)
      );
      CREATE INDEX wagering_contributions_by_grant ON wagering_contributions (tenant_id, grant_id, seq);

      CREATE TABLE wagering_waiting_bets (
        tenant_id text NOT NULL,
        grant_id text NOT NULL,
        bet_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('settled', 'rolled_back')),
        bet jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, grant_id, bet_id, kind)
      );

      ${tenantPolicySql('contribution_schemas')}
      ${tenantPolicySql('wagering_grants')}
      ${tenantPolicySql('wagering_contributions')}
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE wagering_waiting_bets, wagering_contributions, wagering_grants, contribution_schemas;
      DROP FUNCTION contribution_schemas_immutable();
    `);
  }
}
