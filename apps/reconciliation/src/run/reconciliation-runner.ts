import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL, PostgresEventStore } from '@pitboss/event-store';

import { DetectorMetrics } from '../detectors/detector-metrics';
import { importedRows } from '../imports/report-import';
import { runDailyReconciliation, type RunRequest, type RunResult } from './daily-reconciliation';
import { type Ledger } from './mirror-queries';
import { RECONCILIATION_CONFIG, type ReconciliationConfig } from './reconciliation.config';
import { ReconciliationMetrics } from './reconciliation-metrics';
import { walletReportRows } from './wallet-report.source';

/** The service's daily runs: from the wallet's report API (the schedule) or from an uploaded report. */
@Injectable()
export class ReconciliationRunner {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly eventStore: PostgresEventStore,
    @Inject(RECONCILIATION_CONFIG) private readonly config: ReconciliationConfig,
    private readonly metrics: ReconciliationMetrics,
    private readonly detectorMetrics: DetectorMetrics,
  ) {}

  fromWalletApi(tenantId: string, date: string): Promise<RunResult> {
    return this.run({ tenantId, date }, (request) =>
      walletReportRows(
        this.config.walletReportUrl,
        this.config.walletReportToken,
        request.tenantId,
        request.date,
      ),
    );
  }

  fromImport(importId: string, tenantId: string, date: string, ledger: Ledger): Promise<RunResult> {
    return this.run({ tenantId, date, ledger, source: `import:${importId}` }, () =>
      importedRows(this.pool, importId, this.config.batchRows),
    );
  }

  private run(request: RunRequest, reportRows: Parameters<typeof runDailyReconciliation>[0]['reportRows']) {
    return runDailyReconciliation(
      {
        pool: this.pool,
        eventStore: this.eventStore,
        reportRows,
        threshold: this.config.discrepancyThreshold,
        batchRows: this.config.batchRows,
        metrics: this.metrics,
        detectorMetrics: this.detectorMetrics,
      },
      request,
    );
  }
}
