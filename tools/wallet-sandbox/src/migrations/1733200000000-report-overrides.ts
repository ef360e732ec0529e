import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Discrepancies injected into the transaction report on purpose (for reconciliation tests), kept apart from the
 * append-only ledger: the ledger stays what the wallet API did; the report is the ledger seen through these.
 */
export class ReportOverrides1733200000000 implements MigrationInterface {
  name = 'ReportOverrides1733200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE report_overrides (
        tenant_id text NOT NULL,
        transaction_id text NOT NULL,
        -- The entry is left out of the report (a lost movement).
        dropped boolean NOT NULL DEFAULT false,
        -- The entry appears twice.
        duplicated boolean NOT NULL DEFAULT false,
        -- The report shows this amount instead of the booked one.
        amount_minor_units bigint CHECK (amount_minor_units >= 0),
        -- The report shows this booking time (and so this date) instead of the booked one.
        booked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (tenant_id, transaction_id)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE report_overrides`);
  }
}
