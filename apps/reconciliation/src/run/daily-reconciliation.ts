import { randomUUID } from 'node:crypto';

import { type Pool } from 'pg';

import {
  type EventContext,
  type NewEvent,
  type PostgresEventStore,
  withTransaction,
} from '@pitboss/event-store';
import {
  dayWindow,
  DISCREPANCY_CLASSES,
  type Discrepancy,
  type ExpectedMovement,
  type ReconciliationOutcome,
  ReportMatcher,
  type WalletReportRow,
} from '@pitboss/reconciliation-domain';

import { type DetectorMetrics } from '../detectors/detector-metrics';
import { raiseCompensatedButCredited } from './compensated-credits';
import { expectedByKeys, expectedInWindow, type Ledger } from './mirror-queries';
import { type ReconciliationMetrics } from './reconciliation-metrics';

export interface RunRequest {
  readonly tenantId: string;
  /** YYYY-MM-DD, UTC. */
  readonly date: string;
  /** The report reconciled: the wallet's transactions (default) or the PSP's deposits. */
  readonly ledger?: Ledger;
  /** Where the report came from, kept on the run: `wallet_api` (default) or `import:<import_id>`. */
  readonly source?: string;
}

export interface RunResult {
  readonly runId: string;
  readonly tenantId: string;
  readonly date: string;
  readonly walletRows: number;
  readonly expectedMovements: number;
  readonly discrepancies: number;
  readonly outcome: ReconciliationOutcome;
}

export interface DailyReconciliationDependencies {
  readonly pool: Pool;
  readonly eventStore: PostgresEventStore;
  /** The wallet report of the tenant and day, row by row. */
  readonly reportRows: (request: RunRequest) => AsyncIterable<WalletReportRow>;
  readonly threshold: number;
  readonly batchRows: number;
  readonly metrics?: ReconciliationMetrics;
  readonly detectorMetrics?: DetectorMetrics;
  /** Progress for the CLI: rows read so far and the phase. */
  readonly progress?: (phase: 'report' | 'mirror' | 'done', rows: number) => void;
}

const EVENTS_PER_APPEND = 500;

/**
 * One daily run of one tenant: the wallet report streamed in batches, each batch's keys looked up in the mirror
 * at once; then the window's expected movements paged from the mirror to find what the report lacks. Every
 * discrepancy, the run record and the recon.v1 events (through the outbox) commit in one transaction at the
 * end, so a failed run leaves nothing. A rerun of a day is a new run with the same figures.
 */
export async function runDailyReconciliation(
  deps: DailyReconciliationDependencies,
  request: RunRequest,
): Promise<RunResult> {
  const window = dayWindow(request.date);
  const runId = randomUUID();
  const ledger = request.ledger ?? 'wallet';
  const startedAt = new Date();
  const matcher = new ReportMatcher(window, deps.threshold);
  const found: Discrepancy[] = [];
  let walletRows = 0;
  let batch: WalletReportRow[] = [];

  const flush = async () => {
    const expected = await expectedByKeys(
      deps.pool,
      request.tenantId,
      ledger,
      batch.map((row) => row.transactionKey),
    );
    for (const row of batch) {
      const discrepancy = matcher.matchRow(row, expected.get(row.transactionKey));
      if (discrepancy) found.push(discrepancy);
    }
    walletRows += batch.length;
    batch = [];
    deps.progress?.('report', walletRows);
  };
  for await (const row of deps.reportRows(request)) {
    batch.push(row);
    if (batch.length >= deps.batchRows) await flush();
  }
  await flush();

  let expectedMovements = 0;
  for await (const page of expectedInWindow(deps.pool, request.tenantId, ledger, window, deps.batchRows)) {
    for (const movement of page) {
      const discrepancy = matcher.finishExpected(movement);
      if (discrepancy) found.push(discrepancy);
    }
    expectedMovements += page.length;
    deps.progress?.('mirror', expectedMovements);
  }

  const outcome = matcher.outcome();
  await withTransaction(deps.pool, async (tx) => {
    await tx.query(
      `INSERT INTO recon_runs (run_id, tenant_id, report_date, window_start, window_end, started_at, completed_at,
         wallet_rows, expected_movements, totals, class_counts, discrepancy_ratio, threshold, alerted, ledger, source)
       VALUES ($1, $2, $3, $4, $5, $6, now(), $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        runId,
        request.tenantId,
        request.date,
        new Date(window.start),
        new Date(window.end),
        startedAt,
        walletRows,
        expectedMovements,
        JSON.stringify(outcome.totals),
        JSON.stringify(outcome.classCounts),
        outcome.discrepancyRatio,
        outcome.threshold,
        outcome.alerted,
        ledger,
        request.source ?? 'wallet_api',
      ],
    );
    for (let from = 0; from < found.length; from += EVENTS_PER_APPEND) {
      const chunk = found.slice(from, from + EVENTS_PER_APPEND);
      await insertDiscrepancies(tx, runId, from, chunk);
    }
    const events: NewEvent[] = [
      ...found.map((discrepancy) => discrepancyEvent(runId, request.date, discrepancy)),
      completedEvent(runId, request.date, window, walletRows, expectedMovements, outcome),
    ];
    const context: EventContext = { tenantId: request.tenantId };
    for (let from = 0; from < events.length; from += EVENTS_PER_APPEND)
      await deps.eventStore.appendToStream(
        tx,
        `recon-run:${runId}`,
        from === 0 ? 'no_stream' : from,
        events.slice(from, from + EVENTS_PER_APPEND),
        context,
      );
    if (ledger === 'wallet')
      await raiseCompensatedButCredited(tx, deps.eventStore, runId, request, found, deps.detectorMetrics);
  });
  deps.metrics?.recordRun(request.tenantId, outcome);
  deps.progress?.('done', walletRows);
  return {
    runId,
    tenantId: request.tenantId,
    date: request.date,
    walletRows,
    expectedMovements,
    discrepancies: found.length,
    outcome,
  };
}

async function insertDiscrepancies(
  tx: { query: Pool['query'] },
  runId: string,
  firstSeq: number,
  chunk: readonly Discrepancy[],
): Promise<void> {
  if (chunk.length === 0) return;
  const values = chunk.flatMap((d, i) => [
    runId,
    firstSeq + i + 1,
    d.class,
    d.transactionKey,
    d.kind,
    d.playerId,
    d.expectedMinorUnits,
    d.actualMinorUnits,
    d.currency,
    d.walletCurrency,
  ]);
  const rows = chunk.map(
    (_, i) => `(${Array.from({ length: 10 }, (_, c) => `$${i * 10 + c + 1}`).join(', ')})`,
  );
  await tx.query(
    `INSERT INTO recon_discrepancies (run_id, seq, class, transaction_key, kind, player_id, expected_minor_units,
       actual_minor_units, currency, wallet_currency) VALUES ${rows.join(', ')}`,
    values,
  );
}

function discrepancyEvent(runId: string, date: string, d: Discrepancy): NewEvent {
  return {
    type: 'discrepancy.detected',
    data: {
      run_id: runId,
      report_date: date,
      class: d.class,
      transaction_key: d.transactionKey,
      kind: d.kind,
      expected_minor_units: d.expectedMinorUnits,
      actual_minor_units: d.actualMinorUnits,
      currency: d.currency,
      wallet_currency: d.walletCurrency,
      detector: null,
    },
  };
}

function completedEvent(
  runId: string,
  date: string,
  window: { start: number; end: number },
  walletRows: number,
  expectedMovements: number,
  outcome: ReconciliationOutcome,
): NewEvent {
  return {
    type: 'reconciliation.completed',
    data: {
      run_id: runId,
      report_date: date,
      window_start: window.start,
      window_end: window.end,
      wallet_rows: walletRows,
      expected_movements: expectedMovements,
      totals: outcome.totals.map((t) => ({
        currency: t.currency,
        kind: t.kind,
        expected_count: t.expectedCount,
        expected_minor_units: t.expectedMinorUnits,
        wallet_count: t.walletCount,
        wallet_minor_units: t.walletMinorUnits,
        matched_count: t.matchedCount,
        discrepancy_count: t.discrepancyCount,
        discrepant_minor_units: t.discrepantMinorUnits,
        discrepancy_ratio: t.discrepancyRatio,
        above_threshold: t.aboveThreshold,
      })),
      discrepancy_counts: DISCREPANCY_CLASSES.map((c) => ({
        class: c,
        // eslint-disable-next-line security/detect-object-injection -- c is one of DISCREPANCY_CLASSES
        count: outcome.classCounts[c],
      })),
      discrepancy_ratio: outcome.discrepancyRatio,
      threshold: outcome.threshold,
      alerted: outcome.alerted,
    },
  };
}

export type { ExpectedMovement };
