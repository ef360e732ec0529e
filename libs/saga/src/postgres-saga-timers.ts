import { randomUUID } from 'node:crypto';

import { type Pool, type PoolClient } from 'pg';

import { type AppendResult, type GuardedWrite } from '@pitboss/event-store';

import { type SagaSubject, type SagaTimerLease, type ScheduledLease } from './saga-timer';

type Queryable = Pick<Pool, 'query'> | PoolClient;

/** A subject scheduled again keeps its earlier due time, and its holder's release sees the new generation. */
const SCHEDULED_AGAIN = `ON CONFLICT (tenant_id, subject_id) DO UPDATE
  SET due_at = LEAST(saga_timers.due_at, EXCLUDED.due_at), generation = saga_timers.generation + 1`;

const RELEASE_WRITE_NAMES = ['released_deleted', 'released_updated'] as const;

/**
 * The two writes of a release ($1–$3 the lease's subject and token, $4 its generation, $5 the next due time or
 * null), `after` a relation they also read (the guarded append's `claimed`), or none: the timer is deleted when
 * the subject has no more work and nothing was scheduled meanwhile, and otherwise made due again, unleased.
 * The update skips a row the delete took (both see the statement's one snapshot).
 */
function releaseWrites(after: string): Record<(typeof RELEASE_WRITE_NAMES)[number], string> {
  return {
    released_deleted: `DELETE FROM saga_timers ${after && `USING ${after}`}
       WHERE saga_timers.tenant_id = $1 AND saga_timers.subject_id = $2 AND saga_timers.lease_token = $3
         AND saga_timers.generation = $4::bigint AND $5::timestamptz IS NULL
      RETURNING saga_timers.subject_id`,
    released_updated: `UPDATE saga_timers
        SET due_at = CASE WHEN generation = $4::bigint AND $5::timestamptz IS NOT NULL THEN $5::timestamptz
                          ELSE LEAST(COALESCE($5::timestamptz, now()), now()) END,
            locked_until = NULL, lease_token = NULL ${after && `FROM ${after}`}
      WHERE saga_timers.tenant_id = $1 AND saga_timers.subject_id = $2 AND saga_timers.lease_token = $3
        AND NOT EXISTS (SELECT 1 FROM released_deleted)
      RETURNING saga_timers.subject_id`,
  };
}

function releaseParameters(lease: SagaTimerLease, nextDueAt: Date | null): unknown[] {
  return [lease.tenantId, lease.subjectId, lease.leaseToken, lease.generation, nextDueAt];
}

/**
 * Durable timers with leases, in the service's schema. Scheduling happens in the caller's transaction (with the
 * saga's events and the inbox row), so a saga can never be recorded without the timer that drives it.
 */
export class PostgresSagaTimers {
  /**
   * Makes the subject due at `dueAt` at the latest: an earlier due time already set is kept. Safe while the
   * timer is leased: the holder's release sees the new generation and makes it due at once.
   */
  async schedule(db: Queryable, subject: SagaSubject, dueAt: Date): Promise<void> {
    await db.query(
      `INSERT INTO saga_timers (tenant_id, subject_id, due_at) VALUES ($1, $2, $3) ${SCHEDULED_AGAIN}`,
      [subject.tenantId, subject.subjectId, dueAt],
    );
  }

  /**
   * Schedules as `schedule` does and, when the subject had no timer yet, takes its lease in the same statement,
   * so the caller's replica can step the subject once its transaction commits (`SagaTimerLoop.adopt`) without a
   * claim of its own. Null when a timer existed: it is scheduled again, and its holder or the next claim steps
   * the subject, as after `schedule`. Until the caller commits no other replica sees the row; if the caller dies
   * after, the lease expires and the subject is claimed elsewhere, as after a claim.
   */
  async scheduleLeased(
    db: Queryable,
    subject: SagaSubject,
    dueAt: Date,
    leaseMs: number,
  ): Promise<ScheduledLease | null> {
    const leaseToken = randomUUID();
    const takenAt = Date.now();
    // clock_timestamp(), not now(): the lease runs from this statement, not from the start of its transaction.
    const result = await db.query(
      `INSERT INTO saga_timers (tenant_id, subject_id, due_at, locked_until, lease_token, claims)
       VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond', $5, 1) ${SCHEDULED_AGAIN}
       RETURNING lease_token = $5 AS leased, generation::text AS generation`,
      [subject.tenantId, subject.subjectId, dueAt, leaseMs, leaseToken],
    );
    const row = result.rows[0];
    if (!row?.leased) return null;
    return { ...subject, leaseToken, generation: row.generation, claims: 1, takenAt };
  }

  /**
   * Claims up to `limit` due timers that nobody holds (or whose holder's lease expired), skipping rows another
   * replica is claiming at this instant. Times are the database's, one clock for every replica.
   */
  async claimDue(db: Queryable, limit: number, leaseMs: number): Promise<SagaTimerLease[]> {
    if (limit <= 0) return [];
    const result = await db.query(
      `WITH due AS (
         SELECT tenant_id, subject_id FROM saga_timers
          WHERE due_at <= now() AND (locked_until IS NULL OR locked_until <= now())
          ORDER BY due_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED
       )
       UPDATE saga_timers t
          SET locked_until = now() + $2 * interval '1 millisecond', lease_token = gen_random_uuid(),
              claims = t.claims + 1
         FROM due
        WHERE t.tenant_id = due.tenant_id AND t.subject_id = due.subject_id
       RETURNING t.tenant_id, t.subject_id, t.lease_token, t.generation::text AS generation, t.claims`,
      [limit, leaseMs],
    );
    return result.rows.map((row) => ({
      tenantId: row.tenant_id,
      subjectId: row.subject_id,
      leaseToken: row.lease_token,
      generation: row.generation,
      claims: row.claims,
    }));
  }

  /** Pushes the lease's expiry out again; false when the lease was lost (expired and taken over). */
  async renew(db: Queryable, lease: SagaTimerLease, leaseMs: number): Promise<boolean> {
    const result = await db.query(
      `UPDATE saga_timers SET locked_until = now() + $4 * interval '1 millisecond'
        WHERE tenant_id = $1 AND subject_id = $2 AND lease_token = $3`,
      [lease.tenantId, lease.subjectId, lease.leaseToken, leaseMs],
    );
    return result.rowCount === 1;
  }

  /**
   * Ends the lease. `nextDueAt` null: the subject has no more work, and the timer is deleted — unless work was
   * scheduled meanwhile (another generation), in which case it becomes due at once. Returns false when the
   * lease had already been lost, in which case nothing changes.
   */
  async release(db: Queryable, lease: SagaTimerLease, nextDueAt: Date | null): Promise<boolean> {
    const writes = Object.entries(releaseWrites(''));
    const result = await db.query(
      `WITH ${writes.map(([name, sql]) => `${name} AS (${sql})`).join(', ')}
       SELECT EXISTS (SELECT 1 FROM released_deleted UNION ALL SELECT 1 FROM released_updated) AS released`,
      releaseParameters(lease, nextDueAt),
    );
    return result.rows[0].released;
  }

  /**
   * `release` as writes of the step's last append (see GuardedWrite), made only if that append is: the outcome
   * and the end of its lease are one statement. `releasedBy` reads from the append's `written` whether the lease
   * was still held.
   */
  releaseWrite(lease: SagaTimerLease, nextDueAt: Date | null): GuardedWrite {
    return { writes: releaseWrites('claimed'), parameters: releaseParameters(lease, nextDueAt) };
  }

  releasedBy(written: AppendResult['written']): boolean {
    return RELEASE_WRITE_NAMES.some((name) => (written[name]?.length ?? 0) > 0); // eslint-disable-line security/detect-object-injection -- constant names
  }

  /** Timers due now (held or not): the backlog a dashboard shows. */
  async countDue(db: Queryable): Promise<number> {
    const result = await db.query('SELECT count(*)::int AS n FROM saga_timers WHERE due_at <= now()');
    return result.rows[0].n;
  }
}
