import { Inject, Injectable } from '@nestjs/common';
import { Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@pitboss/observability';

/** wagering-progress's own metrics (the consumer's come from libs/messaging). */
@Injectable()
export class WageringMetrics {
  private readonly lag: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.lag = new Histogram({
      name: 'wagering_progress_lag_seconds',
      help: "From a bet.settled's occurred_at to its effect on wagering committed (target p95 ≤ 0.2 s)",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  recorded(occurredAtMs: number, nowMs: number): void {
    this.lag.observe(Math.max(0, nowMs - occurredAtMs) / 1_000);
  }
}
