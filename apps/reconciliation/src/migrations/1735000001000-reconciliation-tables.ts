import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The mirror ledger (one expected wallet movement per wallet transaction key, from the money topics) and the
 * records of reconciliation runs with their discrepancies.
 */
export class ReconciliationTables1735000001000 implements MigrationInterface {
  name = 'ReconciliationTables1735000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE expected_movements (
        tenant_id text NOT NULL,
        transaction_key text NOT NULL,
        player_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('debit', 'credit', 'rollback')),
        amount_minor_units bigint NOT NULL CHECK (amount_minor_units >= 0),
        currency char(3) NOT NULL,
        -- The platform event's occurred_at: decides the window a movement is reconciled in.
        occurred_at timestamptz NOT NULL,
        bet_id text NOT NULL,
        source_event_id uuid NOT NULL,
        PRIMARY KEY (tenant_id, transaction_key)
      );
      CREATE INDEX expected_movements_window_idx ON expected_movements (tenant_id, occurred_at, transaction_key);
      CREATE INDEX expected_movements_bet_idx ON expected_movements (tenant_id, bet_id);

      CREATE TABLE recon_runs (
        run_id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        report_date date NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        started_at timestamptz NOT NULL,
        completed_at timestamptz NOT NULL,
        wallet_rows bigint NOT NULL,
        expected_movements bigint NOT NULL,
        totals jsonb NOT NULL,
        class_counts jsonb NOT NULL,
        discrepancy_ratio double precision NOT NULL,
        threshold double precision NOT NULL,
        alerted boolean NOT NULL
      );
      CREATE INDEX recon_runs_date_idx ON recon_runs (tenant_id, report_date, completed_at);

      CREATE TABLE recon_discrepancies (
        run_id uuid NOT NULL REFERENCES recon_runs (run_id),
        seq integer NOT NULL,
        class text NOT NULL,
        transaction_key text NOT NULL,
        kind text NOT NULL,
        player_id text NOT NULL,
        expected_minor_units bigint,
        actual_minor_units bigint,
        currency char(3) NOT NULL,
        wallet_currency char(3),
        PRIMARY KEY (run_id, seq)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TABLE recon_discrepancies; DROP TABLE recon_runs; DROP TABLE expected_movements;`,
    );
  }
}
