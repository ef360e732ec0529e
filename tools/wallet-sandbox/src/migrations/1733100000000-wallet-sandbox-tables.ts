import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The sandbox wallet's ledger, in its own schema (search_path). Balances live on `accounts`; every answer the
 * API gave to a transaction id lives on `transactions` (so a repeated key gets the same answer); every money
 * movement is a row of the append-only `ledger_entries`.
 */
export class WalletSandboxTables1733100000000 implements MigrationInterface {
  name = 'WalletSandboxTables1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- One currency per account, fixed when the account is created; balances can never go below zero, whatever
      -- the code above them does.
      CREATE TABLE accounts (
        tenant_id text NOT NULL,
        player_id text NOT NULL,
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        cash_minor_units bigint NOT NULL DEFAULT 0 CHECK (cash_minor_units >= 0),
        bonus_minor_units bigint NOT NULL DEFAULT 0 CHECK (bonus_minor_units >= 0),
        blocked boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, player_id)
      );

      -- The answer given to each transaction id (the X-Idempotency-Key), or a tombstone: a rollback arrived for
      -- an id the wallet had never seen, so that id may never move money afterwards. The primary key is the last
      -- line of defence against two concurrent executions of one key.
      CREATE TABLE transactions (
        tenant_id text NOT NULL,
        transaction_id text NOT NULL,
        player_id text NOT NULL,
        operation text NOT NULL CHECK (operation IN ('debit', 'credit', 'rollback', 'convert', 'tombstone')),
        request_hash text,
        response_status integer NOT NULL,
        -- json, not jsonb: a replay sends the stored body exactly as first sent, keys in the same order.
        response_body json NOT NULL,
        amount_minor_units bigint CHECK (amount_minor_units >= 0),
        currency char(3),
        tombstoned_by text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (tenant_id, transaction_id),
        CHECK ((operation = 'tombstone') = (request_hash IS NULL))
      );

      CREATE TABLE ledger_entries (
        id bigserial PRIMARY KEY,
        tenant_id text NOT NULL,
        player_id text NOT NULL,
        transaction_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('debit', 'credit', 'rollback', 'convert')),
        amount_minor_units bigint NOT NULL CHECK (amount_minor_units >= 0),
        currency char(3) NOT NULL,
        cash_delta_minor_units bigint NOT NULL,
        bonus_delta_minor_units bigint NOT NULL,
        reverses_transaction_id text,
        bet_id text,
        round_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        -- One movement per transaction id, and a movement is reversed at most once, whatever the rollback's key.
        UNIQUE (tenant_id, transaction_id),
        CHECK ((kind = 'rollback') = (reverses_transaction_id IS NOT NULL))
      );
      CREATE UNIQUE INDEX ledger_entries_one_reversal_idx ON ledger_entries (tenant_id, reverses_transaction_id)
        WHERE reverses_transaction_id IS NOT NULL;
      CREATE INDEX ledger_entries_player_idx ON ledger_entries (tenant_id, player_id, id);
      CREATE INDEX ledger_entries_bet_idx ON ledger_entries (tenant_id, bet_id) WHERE bet_id IS NOT NULL;

      -- Balances set through the admin API, kept apart from the ledger so the ledger holds only what the wallet
      -- API did (benchmarks count it).
      CREATE TABLE account_adjustments (
        id bigserial PRIMARY KEY,
        tenant_id text NOT NULL,
        player_id text NOT NULL,
        cash_delta_minor_units bigint NOT NULL,
        bonus_delta_minor_units bigint NOT NULL,
        blocked boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      -- Append-only: the database itself refuses to change or remove a ledger entry or an adjustment.
      CREATE FUNCTION wallet_ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER ledger_entries_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION wallet_ledger_is_append_only();
      CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
        FOR EACH STATEMENT EXECUTE FUNCTION wallet_ledger_is_append_only();
      CREATE TRIGGER account_adjustments_no_update_or_delete BEFORE UPDATE OR DELETE ON account_adjustments
        FOR EACH ROW EXECUTE FUNCTION wallet_ledger_is_append_only();
      CREATE TRIGGER account_adjustments_no_truncate BEFORE TRUNCATE ON account_adjustments
        FOR EACH STATEMENT EXECUTE FUNCTION wallet_ledger_is_append_only();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE account_adjustments; DROP TABLE ledger_entries; DROP TABLE transactions; DROP TABLE accounts;
      DROP FUNCTION wallet_ledger_is_append_only();
    `);
  }
}
