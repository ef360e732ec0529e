import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The player's country, optional when a session is opened, checked against the game's geo-bans on authorize. */
export class SessionsCountry1733000001000 implements MigrationInterface {
  name = 'SessionsCountry1733000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE sessions ADD COLUMN country char(2)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE sessions DROP COLUMN country');
  }
}
