import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Phase 2: promo and deposit movements in the mirror (kinds convert, forfeit, deposit; the ledger a movement
 * belongs to: the wallet's or the PSP's; the game for GGR reports), runs from uploaded reports (their rows kept
 * for reruns), the scheduled run's claims (one per tenant and day), and the settlement watch the detectors read.
 */
export class ReconImportsScheduleDetectors1735000002000 implements MigrationInterface {
  name = 'ReconImportsScheduleDetectors1735000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE expected_movements DROP CONSTRAINT expected_movements_kind_check;
      ALTER TABLE expected_movements ADD CONSTRAINT expected_movements_kind_check
        CHECK (kind IN ('debit', 'credit', 'rollback', 'convert', 'forfeit', 'deposit'));
      -- wallet: the wallet's transaction report reconciles it; psp: the PSP's deposit report.
      ALTER TABLE expected_movements ADD COLUMN ledger text NOT NULL DEFAULT 'wallet'
        CHECK (ledger IN ('wallet', 'psp'));
      ALTER TABLE expected_movements ADD COLUMN game_id text;
      -- A bet's id, or a grant's or deposit's: what the movement is about.
      ALTER TABLE expected_movements RENAME COLUMN bet_id TO subject_id;

      ALTER TABLE recon_runs ADD COLUMN ledger text NOT NULL DEFAULT 'wallet';
      -- wallet_api: fetched from the wallet; import:<import_id>: an uploaded report.
      ALTER TABLE recon_runs ADD COLUMN source text NOT NULL DEFAULT 'wallet_api';

      CREATE TABLE report_imports (
        import_id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        report_date date NOT NULL,
        ledger text NOT NULL CHECK (ledger IN ('wallet', 'psp')),
        row_count bigint NOT NULL,
        imported_by text NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now()
      );
      -- Filled by COPY; no primary key, so a million rows load at COPY speed. Read in line order.
      CREATE TABLE imported_report_rows (
        import_id uuid NOT NULL,
        line integer NOT NULL,
        transaction_key text NOT NULL,
        kind text NOT NULL,
        amount_minor_units bigint NOT NULL,
        currency text NOT NULL,
        player_id text NOT NULL,
        booked_at timestamptz NOT NULL
      );
      CREATE INDEX imported_report_rows_line_idx ON imported_report_rows (import_id, line);

      CREATE TABLE scheduled_runs (
        tenant_id text NOT NULL,
        report_date date NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        run_id uuid,
        PRIMARY KEY (tenant_id, report_date)
      );

      CREATE TABLE settlement_watch (
        tenant_id text NOT NULL,
        bet_id text NOT NULL,
        player_id text NOT NULL,
        requested_at timestamptz,
        win_minor_units bigint,
        currency char(3),
        settled_count integer NOT NULL DEFAULT 0,
        compensated_at timestamptz,
        stuck_alerted_at timestamptz,
        PRIMARY KEY (tenant_id, bet_id)
      );
      CREATE INDEX settlement_watch_open_idx ON settlement_watch (requested_at)
        WHERE settled_count = 0 AND compensated_at IS NULL AND stuck_alerted_at IS NULL;

      CREATE TABLE detector_alerts (
        alert_id uuid PRIMARY KEY,
        detector text NOT NULL,
        tenant_id text NOT NULL,
        subject_key text NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (detector, tenant_id, subject_key)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE detector_alerts; DROP TABLE settlement_watch; DROP TABLE scheduled_runs;
      DROP TABLE imported_report_rows; DROP TABLE report_imports;
      ALTER TABLE recon_runs DROP COLUMN source; ALTER TABLE recon_runs DROP COLUMN ledger;
      ALTER TABLE expected_movements RENAME COLUMN subject_id TO bet_id;
      ALTER TABLE expected_movements DROP COLUMN game_id; ALTER TABLE expected_movements DROP COLUMN ledger;
      ALTER TABLE expected_movements DROP CONSTRAINT expected_movements_kind_check;
      ALTER TABLE expected_movements ADD CONSTRAINT expected_movements_kind_check
        CHECK (kind IN ('debit', 'credit', 'rollback'));
    `);
  }
}
