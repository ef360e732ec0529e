import { type Pool } from 'pg';

/**
 * A tenant's day claimed for its scheduled run (`scheduled_runs` primary key), so the service's replicas and the
 * CronJob's `recon:daily --scheduled` run it once between them. False when someone claimed it already.
 */
export async function claimScheduledRun(pool: Pool, tenantId: string, date: string): Promise<boolean> {
  const claimed = await pool.query(
    'INSERT INTO scheduled_runs (tenant_id, report_date) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [tenantId, date],
  );
  return claimed.rowCount === 1;
}

export async function completeScheduledRun(pool: Pool, tenantId: string, date: string, runId: string) {
  await pool.query('UPDATE scheduled_runs SET run_id = $3 WHERE tenant_id = $1 AND report_date = $2', [
    tenantId,
    date,
    runId,
  ]);
}

/** A failed run gives its claim back: the next check (or CronJob) tries the day again. */
export async function releaseScheduledRun(pool: Pool, tenantId: string, date: string) {
  await pool.query('DELETE FROM scheduled_runs WHERE tenant_id = $1 AND report_date = $2', [tenantId, date]);
}
