import { Module } from '@nestjs/common';
import { type Registry } from 'prom-client';

import { AuthModule } from '@pitboss/auth';
import { EventStoreModule } from '@pitboss/event-store';
import { MessagingModule } from '@pitboss/messaging';
import { METRICS_REGISTRY, ObservabilityModule } from '@pitboss/observability';

import { DetectorMetrics } from './detectors/detector-metrics';
import { OverdueSettlementDetector } from './detectors/overdue-settlement.detector';
import { ImportsController } from './http/imports.controller';
import { ReportsController } from './http/reports.controller';
import { RunsController } from './http/runs.controller';
import { MirrorLedgerConsumer } from './mirror/mirror-ledger.consumer';
import { reconciliationMigrations } from './reconciliation-migrations';
import { RECONCILIATION_CONFIG, reconciliationConfig } from './run/reconciliation.config';
import { ReconciliationMetrics } from './run/reconciliation-metrics';
import { ReconciliationRunner } from './run/reconciliation-runner';
import { ScheduledReconciliation } from './run/scheduled-reconciliation';

const serviceName = 'reconciliation';

/**
 * The service: the mirror ledger consumer (and the detectors fed by it), the runs API and report imports, and the
 * scheduled daily run. `npm run recon:daily` (src/daily.cli.ts) runs a day on demand, the CronJob in Kubernetes.
 */
@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName, migrations: reconciliationMigrations }),
    MessagingModule.forRoot({ serviceName }),
    AuthModule.forRoot(),
  ],
  // HTTP controllers, and the @EventPattern handlers served by the Kafka transport main.ts connects.
  controllers: [RunsController, ImportsController, ReportsController, MirrorLedgerConsumer],
  providers: [
    { provide: RECONCILIATION_CONFIG, useFactory: () => reconciliationConfig() },
    {
      provide: ReconciliationMetrics,
      inject: [METRICS_REGISTRY],
      useFactory: (registry: Registry) => new ReconciliationMetrics(registry),
    },
    {
      provide: DetectorMetrics,
      inject: [METRICS_REGISTRY],
      useFactory: (registry: Registry) => new DetectorMetrics(registry),
    },
    ReconciliationRunner,
    ScheduledReconciliation,
    OverdueSettlementDetector,
  ],
})
export class ReconciliationModule {}
