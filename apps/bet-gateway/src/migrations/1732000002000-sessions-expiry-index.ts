import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The purge of expired sessions finds them by expiry instead of scanning every session. */
export class SessionsExpiryIndex1732000002000 implements MigrationInterface {
  name = 'SessionsExpiryIndex1732000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX sessions_expires_at_idx ON sessions (expires_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX sessions_expires_at_idx');
  }
}
