import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The game, stake and math version of each authorized bet, from its `bet.authorized`, until its settlement saga
 * starts and records them in its stream (settlement.started): the business metrics counted at the credit need
 * them, and `settlement.requested` does not carry the game or the stake. The row is deleted in the transaction
 * that starts the bet's settlement or rollback saga; the rows left are bets still open.
 */
export class BetFacts1734000001000 implements MigrationInterface {
  name = 'BetFacts1734000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bet_facts (
        tenant_id text NOT NULL,
        bet_id text NOT NULL,
        game_id text NOT NULL,
        stake_minor_units bigint NOT NULL,
        currency text NOT NULL,
        math_version text,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, bet_id)
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE bet_facts');
  }
}
