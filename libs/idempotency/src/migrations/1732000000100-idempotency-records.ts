import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Idempotency records of one service schema: one row per (tenant, scope, key), bound to the request's hash and
 * holding the stored response once the request completed. Unqualified names resolve in the service schema.
 */
export class IdempotencyRecords1732000000100 implements MigrationInterface {
  name = 'IdempotencyRecords1732000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_records (
        tenant_id text NOT NULL,
        scope text NOT NULL,
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
        request_hash text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
        state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
        -- Fencing token of the execution that holds the key: a process whose lease was taken over can neither
        -- complete nor release the record of the execution that replaced it.
        claim_id uuid NOT NULL,
        response_status smallint CHECK (response_status BETWEEN 100 AND 599),
        response_body jsonb,
        response_headers jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        -- Until then the in-progress execution is presumed alive; after it, its process is presumed dead and a
        -- retry with the same request takes the key over.
        lease_expires_at timestamptz,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, scope, idempotency_key),
        CHECK (state <> 'in_progress' OR lease_expires_at IS NOT NULL),
        CHECK (state <> 'completed' OR (response_status IS NOT NULL AND completed_at IS NOT NULL))
      );
      CREATE INDEX idempotency_records_expires_at_idx ON idempotency_records (expires_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_records');
  }
}
