import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The entitlements' index beside their event streams (`entitlement:<tenant>:<id>`, one `entitlement.granted`
 * each), written in the same transaction as the append.
 *
 * - `entitlements_trigger_once`: one trigger (`trigger_ref`) yields at most one entitlement per offer, whoever
 *   retries; the database refuses the second.
 * - `remaining` is the count as bonus-grant knows it: the count granted, then the tokens left that bet-gateway
 *   reports with each entitlement.consumed / entitlement.restored (its read model is the authority).
 */
export class Entitlements1736200001000 implements MigrationInterface {
  name = 'Entitlements1736200001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE entitlements (
        tenant_id text NOT NULL,
        entitlement_id text NOT NULL,
        player_id text NOT NULL,
        offer_id text NOT NULL,
        offer_version integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('free_spins', 'free_bet')),
        count integer NOT NULL CHECK (count > 0),
        remaining integer NOT NULL CHECK (remaining >= 0 AND remaining <= count),
        bet_value_minor_units bigint NOT NULL CHECK (bet_value_minor_units > 0),
        currency char(3) NOT NULL,
        games text[] NOT NULL,
        win_credit text NOT NULL CHECK (win_credit IN ('bonus', 'cash')),
        expires_at timestamptz NOT NULL,
        trigger_ref text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, entitlement_id)
      );
      CREATE UNIQUE INDEX entitlements_trigger_once ON entitlements (tenant_id, offer_id, trigger_ref)
        WHERE trigger_ref <> '';
      CREATE INDEX entitlements_player_idx ON entitlements (tenant_id, player_id, created_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE entitlements');
  }
}
