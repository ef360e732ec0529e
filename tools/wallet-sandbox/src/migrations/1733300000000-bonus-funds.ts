import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Bonus money per grant. `accounts.bonus_minor_units` stays the player's bonus sub-balance (the sum of the rows
 * here plus whatever the admin API set by hand); `bonus_funds` says which grant each part belongs to, so a
 * forfeit or a conversion moves exactly one grant's money and a stake names the grant that funds it.
 * Ledger entries gain the grant they concern and the `forfeit` kind.
 */
export class BonusFunds1733300000000 implements MigrationInterface {
  name = 'BonusFunds1733300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bonus_funds (
        tenant_id text NOT NULL,
        player_id text NOT NULL,
        grant_id text NOT NULL,
        currency char(3) NOT NULL,
        minor_units bigint NOT NULL DEFAULT 0 CHECK (minor_units >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, grant_id)
      );
      CREATE INDEX bonus_funds_player_idx ON bonus_funds (tenant_id, player_id);

      ALTER TABLE ledger_entries ADD COLUMN grant_id text;
      ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
      ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
        CHECK (kind IN ('debit', 'credit', 'rollback', 'convert', 'forfeit'));
      CREATE INDEX ledger_entries_grant_idx ON ledger_entries (tenant_id, grant_id) WHERE grant_id IS NOT NULL;

      ALTER TABLE transactions DROP CONSTRAINT transactions_operation_check;
      ALTER TABLE transactions ADD CONSTRAINT transactions_operation_check
        CHECK (operation IN ('debit', 'credit', 'rollback', 'convert', 'forfeit', 'tombstone'));
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE bonus_funds;
      ALTER TABLE ledger_entries DROP COLUMN grant_id;
    `);
  }
}
