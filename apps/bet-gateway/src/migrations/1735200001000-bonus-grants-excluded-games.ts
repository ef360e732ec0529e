import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The games a grant excludes (bonus.issued excluded_games): a bonus bet on one is refused BONUS_RULE_VIOLATION. */
export class BonusGrantsExcludedGames1735200001000 implements MigrationInterface {
  name = 'BonusGrantsExcludedGames1735200001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE bonus_grants ADD COLUMN excluded_games text[] NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE bonus_grants DROP COLUMN excluded_games');
  }
}
