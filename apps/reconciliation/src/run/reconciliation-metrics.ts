import { Counter, Gauge, type Registry } from 'prom-client';

import { type ReconciliationOutcome } from '@pitboss/reconciliation-domain';

/**
 * `recon_discrepancy_ratio{tenant,currency,kind}` (the last run's ratio; the alert rule compares it with the
 * threshold) and `recon_discrepancies_total{class}`.
 */
export class ReconciliationMetrics {
  private readonly ratio: Gauge<'tenant' | 'currency' | 'kind'>;
  private readonly discrepancies: Counter<'class'>;

  constructor(registry: Registry) {
    this.ratio = new Gauge({
      name: 'recon_discrepancy_ratio',
      help: 'Discrepant money / expected money of the last reconciliation run, per tenant, currency and kind',
      labelNames: ['tenant', 'currency', 'kind'],
      registers: [registry],
    });
    this.discrepancies = new Counter({
      name: 'recon_discrepancies_total',
      help: 'Discrepancies found by reconciliation runs, per class',
      labelNames: ['class'],
      registers: [registry],
    });
  }

  recordRun(tenantId: string, outcome: ReconciliationOutcome): void {
    for (const total of outcome.totals)
      this.ratio.set(
        { tenant: tenantId, currency: total.currency, kind: total.kind },
        total.discrepancyRatio,
      );
    for (const [name, count] of Object.entries(outcome.classCounts))
      if (count > 0) this.discrepancies.inc({ class: name }, count);
  }
}
