import { Module } from '@nestjs/common';
import { type Registry } from 'prom-client';

import { EventStoreModule } from '@pitboss/event-store';
import { MessagingModule } from '@pitboss/messaging';
import { METRICS_REGISTRY, ObservabilityModule } from '@pitboss/observability';

import { MirrorLedgerConsumer } from './mirror/mirror-ledger.consumer';
import { reconciliationMigrations } from './reconciliation-migrations';
import { ReconciliationMetrics } from './run/reconciliation-metrics';

const serviceName = 'reconciliation';

/**
 * The service: the mirror ledger consumer. Daily runs are `npm run recon:daily` (src/daily.cli.ts), a CronJob in
 * Kubernetes; the HTTP routes of runs come later (docs/reconciliation.md).
 */
@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName, migrations: reconciliationMigrations }),
    MessagingModule.forRoot({ serviceName }),
  ],
  providers: [
    MirrorLedgerConsumer,
    {
      provide: ReconciliationMetrics,
      inject: [METRICS_REGISTRY],
      useFactory: (registry: Registry) => new ReconciliationMetrics(registry),
    },
  ],
})
export class ReconciliationModule {}
