import { type Pool } from 'pg';

import { DISCREPANCY_CLASSES, type DiscrepancyClass } from '@pitboss/reconciliation-domain';

/** A run as the API shows it (`GET /v1/recon/runs/{id}`). */
export interface RunView {
  readonly run_id: string;
  readonly tenant_id: string;
  readonly report_date: string;
  readonly source: string;
  readonly started_at: string;
  readonly completed_at: string;
  readonly wallet_rows: number;
  readonly expected_movements: number;
  readonly totals: unknown;
  readonly class_counts: Record<DiscrepancyClass, number>;
  readonly discrepancy_ratio: number;
  readonly threshold: number;
  readonly alerted: boolean;
}

export interface DiscrepancyView {
  readonly seq: number;
  readonly class: string;
  readonly transaction_key: string;
  readonly kind: string;
  readonly player_id: string;
  readonly expected_minor_units: number | null;
  readonly actual_minor_units: number | null;
  readonly currency: string;
  readonly wallet_currency: string | null;
}

const RUN_COLUMNS = `run_id, tenant_id, to_char(report_date, 'YYYY-MM-DD') AS report_date, source, started_at,
  completed_at, wallet_rows, expected_movements, totals, class_counts, discrepancy_ratio, threshold, alerted`;

/** The tenant's runs, newest first; of one day when `date` is given. */
export async function listRuns(
  pool: Pool,
  tenantId: string,
  date: string | undefined,
  limit: number,
): Promise<RunView[]> {
  const { rows } = await pool.query(
    `SELECT ${RUN_COLUMNS} FROM recon_runs
      WHERE tenant_id = $1 AND ($2::date IS NULL OR report_date = $2::date)
      ORDER BY completed_at DESC, run_id LIMIT $3`,
    [tenantId, date ?? null, limit],
  );
  return rows.map(runViewOf);
}

/** The run, only when it is the tenant's: another tenant's run is as absent as an unknown id. */
export async function runOfTenant(pool: Pool, tenantId: string, runId: string): Promise<RunView | null> {
  const { rows } = await pool.query(
    `SELECT ${RUN_COLUMNS} FROM recon_runs WHERE run_id = $1 AND tenant_id = $2`,
    [runId, tenantId],
  );
  return rows[0] ? runViewOf(rows[0] as Record<string, unknown>) : null;
}

/** One page of a run's discrepancies in the order the run found them, after `afterSeq` (keyset cursor). */
export async function discrepanciesOfRun(
  pool: Pool,
  runId: string,
  discrepancyClass: DiscrepancyClass | undefined,
  afterSeq: number,
  limit: number,
): Promise<DiscrepancyView[]> {
  const { rows } = await pool.query(
    `SELECT seq, class, transaction_key, kind, player_id, expected_minor_units, actual_minor_units, currency,
            wallet_currency
       FROM recon_discrepancies
      WHERE run_id = $1 AND ($2::text IS NULL OR class = $2) AND seq > $3
      ORDER BY seq LIMIT $4`,
    [runId, discrepancyClass ?? null, afterSeq, limit],
  );
  return rows.map((row: Record<string, unknown>) => ({
    seq: Number(row['seq']),
    class: row['class'] as string,
    transaction_key: row['transaction_key'] as string,
    kind: row['kind'] as string,
    player_id: row['player_id'] as string,
    expected_minor_units: nullableNumber(row['expected_minor_units']),
    actual_minor_units: nullableNumber(row['actual_minor_units']),
    currency: (row['currency'] as string).trim(),
    wallet_currency: row['wallet_currency'] === null ? null : (row['wallet_currency'] as string).trim(),
  }));
}

function runViewOf(row: Record<string, unknown>): RunView {
  const counts = row['class_counts'] as Partial<Record<DiscrepancyClass, number>>;
  return {
    run_id: row['run_id'] as string,
    tenant_id: row['tenant_id'] as string,
    report_date: row['report_date'] as string,
    source: row['source'] as string,
    started_at: (row['started_at'] as Date).toISOString(),
    completed_at: (row['completed_at'] as Date).toISOString(),
    wallet_rows: Number(row['wallet_rows']),
    expected_movements: Number(row['expected_movements']),
    totals: row['totals'],
    // eslint-disable-next-line security/detect-object-injection -- c is one of DISCREPANCY_CLASSES
    class_counts: Object.fromEntries(DISCREPANCY_CLASSES.map((c) => [c, counts[c] ?? 0])) as Record<
      DiscrepancyClass,
      number
    >,
    discrepancy_ratio: Number(row['discrepancy_ratio']),
    threshold: Number(row['threshold']),
    alerted: row['alerted'] as boolean,
  };
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
