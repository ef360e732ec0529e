import { type MigrationInterface, type QueryRunner } from 'typeorm';

import { tenantPolicySql } from '@pitboss/governance';

/**
 * Offers (the editable draft and the offer's status), their immutable published versions, and the read models
 * of the platform's player facts: profile (players.v1), responsible-gaming state (rg.v1), first deposit
 * (payments.deposits.v1), and the contribution schemas an offer's wagering is pinned to (promo.wagering.v1).
 * Published versions are append-only, enforced by a trigger (a version never changes: grants name it).
 */
export class OffersAndPlayers1736000001000 implements MigrationInterface {
  name = 'OffersAndPlayers1736000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE offers (
        tenant_id text NOT NULL,
        offer_id text NOT NULL,
        draft jsonb NOT NULL,
        -- Bumped by each edit; a submitted change request names the revision it asks to publish.
        draft_revision integer NOT NULL,
        -- draft: never published; then the published offer's status.
        status text NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'retired')),
        latest_version integer,
        -- The draft revision the latest version was published from: a second approval of it publishes nothing.
        published_revision integer,
        -- Version of the offer's event stream (offer.published, offer.status_changed).
        stream_version integer NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, offer_id)
      );

      CREATE TABLE offer_versions (
        tenant_id text NOT NULL,
        offer_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        terms jsonb NOT NULL,
        published_at timestamptz NOT NULL,
        change_request_id uuid NOT NULL UNIQUE,
        policy_versions jsonb NOT NULL,
        PRIMARY KEY (tenant_id, offer_id, version)
      );
      CREATE FUNCTION offer_versions_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'offer_versions is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER offer_versions_no_update_or_delete BEFORE UPDATE OR DELETE ON offer_versions
        FOR EACH ROW EXECUTE FUNCTION offer_versions_are_immutable();

      CREATE TABLE player_profiles (
        tenant_id text NOT NULL,
        player_id text NOT NULL,
        brand text NOT NULL,
        country text NOT NULL,
        licence text NOT NULL,
        kyc_level integer NOT NULL,
        segments text[] NOT NULL,
        channel text NOT NULL,
        account_created_at timestamptz NOT NULL,
        closed_at timestamptz,
        -- The event's occurred_at: an older snapshot arriving late does not overwrite a newer one.
        profile_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, player_id)
      );

      CREATE TABLE player_rg_states (
        tenant_id text NOT NULL,
        player_id text NOT NULL,
        self_excluded boolean NOT NULL DEFAULT false,
        -- NULL while self-excluded: indefinitely.
        excluded_until timestamptz,
        blocked boolean NOT NULL DEFAULT false,
        self_exclusion_at timestamptz,
        block_at timestamptz,
        PRIMARY KEY (tenant_id, player_id)
      );

      CREATE TABLE player_first_deposits (
        tenant_id text NOT NULL,
        player_id text NOT NULL,
        deposit_id text NOT NULL,
        captured_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, player_id)
      );

      CREATE TABLE contribution_schemas (
        tenant_id text NOT NULL,
        schema_id text NOT NULL,
        version integer NOT NULL,
        published_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, schema_id, version)
      );
    `);
    for (const table of BONUS_GRANT_OFFER_TABLES) {
      await queryRunner.query(tenantPolicySql(table));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE contribution_schemas, player_first_deposits, player_rg_states, player_profiles, offer_versions,
        offers;
      DROP FUNCTION offer_versions_are_immutable();
    `);
  }
}

/** The tables of offers and players an API call reads, under row-level security by tenant. */
export const BONUS_GRANT_OFFER_TABLES = [
  'offers',
  'offer_versions',
  'player_profiles',
  'player_rg_states',
  'player_first_deposits',
  'contribution_schemas',
] as const;
