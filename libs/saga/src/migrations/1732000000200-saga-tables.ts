import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Durable saga timers and the current state of each saga instance, in the service's schema.
 *
 * `saga_timers` holds one row per (tenant, subject) — for settle-worker the subject is a bet — not per saga, so
 * one lease serialises every external call about that subject across all replicas. `generation` grows with
 * every schedule, so a worker releasing its lease can tell whether work was added while it held it.
 *
 * `saga_instances` is a projection of the sagas' streams (written in the append's transaction), for metrics
 * and diagnostics; the streams remain the source of truth.
 */
export class SagaTables1732000000200 implements MigrationInterface {
  name = 'SagaTables1732000000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE saga_timers (
        tenant_id text NOT NULL,
        subject_id text NOT NULL,
        due_at timestamptz NOT NULL,
        locked_until timestamptz,
        lease_token uuid,
        generation bigint NOT NULL DEFAULT 0,
        claims integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, subject_id)
      );
      CREATE INDEX saga_timers_due_at_idx ON saga_timers (due_at);

      CREATE TABLE saga_instances (
        saga_type text NOT NULL,
        tenant_id text NOT NULL,
        subject_id text NOT NULL,
        state text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (saga_type, tenant_id, subject_id)
      );
      CREATE INDEX saga_instances_state_idx ON saga_instances (saga_type, state);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE saga_instances; DROP TABLE saga_timers;');
  }
}
