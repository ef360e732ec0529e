import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The read model of entitlements (promo.grants.v1 entitlement.granted): what a bet naming one may spend.
 * `remaining` is taken by an entitlement bet in the bet's own transaction (row locked) and given back by its
 * rollback; the CHECK keeps it within 0..count whatever happens.
 */
export class BetEntitlements1736300001000 implements MigrationInterface {
  name = 'BetEntitlements1736300001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bet_entitlements (
        tenant_id text NOT NULL,
        entitlement_id text NOT NULL,
        player_id text NOT NULL,
        offer_id text NOT NULL,
        kind text NOT NULL,
        count integer NOT NULL,
        remaining integer NOT NULL CHECK (remaining >= 0 AND remaining <= count),
        bet_value_minor_units bigint NOT NULL,
        currency char(3) NOT NULL,
        games text[] NOT NULL,
        win_credit text NOT NULL,
        expires_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, entitlement_id)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE bet_entitlements');
  }
}
