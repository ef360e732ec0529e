import { parseArgs } from 'node:util';

import { SingleBar } from 'cli-progress';
import { Registry } from 'prom-client';

import { createPool, PostgresEventStore } from '@pitboss/event-store';
import { infrastructureConfig, serviceSchema } from '@pitboss/platform-config';
import { dayWindow, previousUtcDay } from '@pitboss/reconciliation-domain';

import { runDailyReconciliation, type RunResult } from './run/daily-reconciliation';
import { tenantsInWindow } from './run/mirror-queries';
import { claimScheduledRun, completeScheduledRun, releaseScheduledRun } from './run/schedule-claims';
import { reconciliationConfig } from './run/reconciliation.config';
import { ReconciliationMetrics } from './run/reconciliation-metrics';
import { walletReportRows } from './run/wallet-report.source';

const USAGE = 'usage: npm run recon:daily -- [--date YYYY-MM-DD] [--tenant <tenant_id>]… [--scheduled]';

/**
 * `npm run recon:daily`: reconciles one UTC day (default: yesterday, what the CronJob runs) of the wallet's
 * transaction report with the mirror ledger, for the tenants given (default: every tenant with expected
 * movements that day). A progress bar (cli-progress) goes to stderr, one JSON
 * summary per run to stdout; exit 1 on a failure, 0 otherwise (an alert is the run's events and metric, not the
 * exit code). Runs in the service's schema (DATABASE_SCHEMA, default reconciliation).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      date: { type: 'string' },
      tenant: { type: 'string', multiple: true },
      // As the CronJob runs it: only the tenant days the service's scheduled run has not claimed.
      scheduled: { type: 'boolean', default: false },
    },
  });
  const date = values.date ?? previousUtcDay(Date.now());
  let window;
  try {
    window = dayWindow(date);
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${USAGE}`);
  }
  const infrastructure = infrastructureConfig();
  const config = reconciliationConfig();
  const pool = createPool({
    databaseUrl: infrastructure.databaseUrl,
    schema: serviceSchema('reconciliation'),
    maxConnections: 2,
    applicationName: 'recon-daily',
  });
  try {
    const tenants = values.tenant ?? (await tenantsInWindow(pool, window));
    if (tenants.length === 0) console.error(`recon: no tenant has expected movements on ${date}`);
    for (const tenantId of tenants) {
      if (values.scheduled && !(await claimScheduledRun(pool, tenantId, date))) {
        console.error(`recon: ${tenantId} ${date} was already run by the schedule`);
        continue;
      }
      const bar = progressBar(tenantId, date);
      const result = await runDailyReconciliation(
        {
          pool,
          eventStore: new PostgresEventStore({ region: infrastructure.region }),
          reportRows: (request) =>
            walletReportRows(
              config.walletReportUrl,
              config.walletReportToken,
              request.tenantId,
              request.date,
            ),
          threshold: config.discrepancyThreshold,
          batchRows: config.batchRows,
          metrics: new ReconciliationMetrics(new Registry()),
          progress: (phase, rows) => bar.update(rows, { phase }),
        },
        { tenantId, date },
      )
        .catch(async (error: unknown) => {
          if (values.scheduled) await releaseScheduledRun(pool, tenantId, date);
          throw error;
        })
        .finally(() => bar.stop());
      if (values.scheduled) await completeScheduledRun(pool, tenantId, date, result.runId);
      console.log(JSON.stringify(summaryOf(result)));
    }
  } finally {
    await pool.end();
  }
}

/**
 * Rows read so far, the phase (report, mirror, done) and the rate; the total is unknown until the report ends, so
 * the bar shows counts, not a percentage. Off a terminal (a CronJob's log) cli-progress prints nothing.
 */
function progressBar(tenantId: string, date: string): SingleBar {
  const bar = new SingleBar({
    format: `recon ${tenantId} ${date} | {phase} | {value} rows | {duration_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    fps: 5,
  });
  bar.start(0, 0, { phase: 'report' });
  return bar;
}

function summaryOf(result: RunResult) {
  return {
    run_id: result.runId,
    tenant_id: result.tenantId,
    date: result.date,
    wallet_rows: result.walletRows,
    expected_movements: result.expectedMovements,
    discrepancies: result.outcome.classCounts,
    discrepancy_ratio: result.outcome.discrepancyRatio,
    threshold: result.outcome.threshold,
    alerted: result.outcome.alerted,
  };
}

main().catch((error: unknown) => {
  console.error(`recon: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
