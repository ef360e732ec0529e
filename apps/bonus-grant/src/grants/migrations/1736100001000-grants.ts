import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The grants' index beside their event streams (the streams are the truth; this table is written in the same
 * transaction as every append), and the players bonus-grant must never grant to again.
 *
 * - `grants_trigger_once`: one trigger (a deposit) yields at most one grant per offer, whoever retries (a
 *   redelivered deposit, two replicas, an API retry under another key): the database refuses the second.
 * - `grant_players`: one row per player that has had a grant request or an RG event; issuing a grant and a
 *   self-exclusion both lock it, so a self-exclusion either sees the grant (and revokes it) or the grant sees the
 *   exclusion (and is refused), whichever arrives first: the late-deposit race.
 */
export class Grants1736100001000 implements MigrationInterface {
  name = 'Grants1736100001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE grants (
        tenant_id text NOT NULL,
        grant_id text NOT NULL,
        player_id text NOT NULL,
        offer_id text NOT NULL,
        offer_version integer NOT NULL,
        trigger text NOT NULL,
        trigger_ref text NOT NULL,
        conflict_group text,
        status text NOT NULL,
        amount_minor_units bigint NOT NULL CHECK (amount_minor_units >= 0),
        currency char(3) NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, grant_id)
      );
      CREATE UNIQUE INDEX grants_trigger_once ON grants (tenant_id, offer_id, trigger, trigger_ref)
        WHERE trigger_ref <> '';
      CREATE INDEX grants_player_idx ON grants (tenant_id, player_id, created_at);

      CREATE TABLE grant_players (
        tenant_id text NOT NULL,
        player_id text NOT NULL,
        self_excluded boolean NOT NULL DEFAULT false,
        excluded_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, player_id)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE grant_players; DROP TABLE grants;');
  }
}
