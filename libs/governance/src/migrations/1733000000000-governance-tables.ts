import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Change requests (four-eyes), the hash-chained audit journal and versioned config, in the service's schema.
 *
 * - The journal and the config versions are append-only, enforced by triggers (UPDATE, DELETE, TRUNCATE refused).
 *   A superuser can still bypass triggers (`session_replication_role = replica`): that is what the hash chain
 *   and the published checkpoints detect.
 * - `audit_chain_head` is the one row every append locks (`FOR UPDATE`): appends are serialised, so two
 *   concurrent appends cannot both link to the same predecessor and fork the chain.
 * - Row-level security by tenant on the three tables read through the API, for the schema's reader role
 *   (see `TenantReadRoleMigration` and docs/security.md): the owner role bypasses it, as Postgres defines.
 */
export class GovernanceTables1733000000000 implements MigrationInterface {
  name = 'GovernanceTables1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE change_requests (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        author jsonb NOT NULL,
        reason text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'applied', 'rejected')),
        four_eyes boolean NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        decided_by jsonb,
        decision_reason text,
        decided_at timestamptz
      );
      CREATE INDEX change_requests_tenant_status_idx ON change_requests (tenant_id, status, created_at);

      CREATE TABLE audit_journal (
        sequence bigint PRIMARY KEY CHECK (sequence > 0),
        occurred_at timestamptz NOT NULL,
        actor_subject text NOT NULL,
        actor_client_id text NOT NULL,
        tenant_id text NOT NULL,
        action text NOT NULL,
        subject text NOT NULL,
        before jsonb,
        after jsonb,
        reason text,
        trace_id text,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL UNIQUE
      );
      CREATE INDEX audit_journal_subject_idx ON audit_journal (tenant_id, subject, occurred_at);
      CREATE INDEX audit_journal_actor_idx ON audit_journal (tenant_id, actor_subject, occurred_at);

      CREATE TABLE audit_chain_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        sequence bigint NOT NULL,
        hash char(64) NOT NULL
      );
      INSERT INTO audit_chain_head (sequence, hash) VALUES (0, repeat('0', 64));

      CREATE TABLE config_versions (
        seq bigserial PRIMARY KEY,
        tenant_id text NOT NULL,
        namespace text NOT NULL,
        key text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        document jsonb NOT NULL,
        change_request_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, namespace, key, version)
      );

      CREATE FUNCTION governance_rows_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_journal_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_journal
        FOR EACH ROW EXECUTE FUNCTION governance_rows_are_append_only();
      CREATE TRIGGER audit_journal_no_truncate BEFORE TRUNCATE ON audit_journal
        FOR EACH STATEMENT EXECUTE FUNCTION governance_rows_are_append_only();
      CREATE TRIGGER config_versions_no_update_or_delete BEFORE UPDATE OR DELETE ON config_versions
        FOR EACH ROW EXECUTE FUNCTION governance_rows_are_append_only();
      CREATE TRIGGER config_versions_no_truncate BEFORE TRUNCATE ON config_versions
        FOR EACH STATEMENT EXECUTE FUNCTION governance_rows_are_append_only();
    `);
    for (const table of ['change_requests', 'audit_journal', 'config_versions']) {
      await queryRunner.query(tenantPolicySql(table));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE config_versions, audit_chain_head, audit_journal, change_requests;
      DROP FUNCTION governance_rows_are_append_only();
    `);
  }
}

/**
 * Row-level security by tenant: a row is visible only while the transaction's `app.tenant_id` names its tenant
 * (`SET LOCAL`, so it ends with the transaction and never leaks to the pooled connection's next user). Unset,
 * `current_setting(…, true)` is NULL and nothing is visible: a forgotten tenant fails closed.
 */
export function tenantPolicySql(table: string, tenantColumn = 'tenant_id'): string {
  return `
    ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
    CREATE POLICY ${table}_by_tenant ON ${table}
      USING (${tenantColumn} = current_setting('app.tenant_id', true));`;
}
