import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';
import { METRICS_REGISTRY } from '@pitboss/observability';
import { countSagasByState, PostgresSagaTimers } from '@pitboss/saga';
import {
  CIRCUIT_STATES,
  type CircuitState,
  type WalletOperation,
  type WalletOutcome,
} from '@pitboss/wallet-client';

/** Labels of `settle_alerts_total`: each one is a case operations must look at. */
export type SettleAlert =
  'credit_budget_exhausted' | 'credit_rejected' | 'rollback_refused' | 'conflicting_settlement';

/** settle-worker's Prometheus metrics; the saga and timer gauges are sampled from Postgres on each scrape. */
@Injectable()
export class SettleMetrics {
  private readonly lag: Histogram;
  private readonly walletCalls: Histogram<'operation' | 'outcome'>;
  private readonly alerts: Counter<'reason'>;
  private readonly circuit: Gauge<'state'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(DATABASE_POOL) pool: Pool) {
    const timers = new PostgresSagaTimers();
    this.lag = new Histogram({
      name: 'settle_lag_seconds',
      help: 'From the settlement.requested event (occurred_at) to the credit confirmed by the wallet',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1_800, 3_600, 21_600, 86_400],
      registers: [registry],
    });
    this.walletCalls = new Histogram({
      name: 'wallet_call_seconds',
      help: 'Wallet calls made by the sagas, by operation and outcome (ok, rejected, uncertain)',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.alerts = new Counter({
      name: 'settle_alerts_total',
      help: 'Sagas that need operations: compensated settlements, refused rollbacks, conflicting requests',
      labelNames: ['reason'],
      registers: [registry],
    });
    // The same name and shape as bet-gateway's, so one dashboard and one alert cover both services.
    this.circuit = new Gauge({
      name: 'wallet_circuit_state',
      help: '1 for the state the wallet circuit breaker of this replica is in (closed, half_open, open), 0 for the others',
      labelNames: ['state'],
      registers: [registry],
    });
    this.circuitState('closed');
    new Gauge({
      name: 'settle_sagas',
      help: 'Sagas by kind and current state (from the saga_instances projection)',
      labelNames: ['kind', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of await countSagasByState(pool))
          this.set({ kind: row.sagaType, state: row.state }, row.count);
      },
    });
    new Gauge({
      name: 'settle_due_timers',
      help: 'Bets whose saga step is due now (claimed or not): the worker backlog',
      registers: [registry],
      async collect() {
        this.set(await timers.countDue(pool));
      },
    });
  }

  walletCall(operation: WalletOperation, outcome: WalletOutcome<unknown>['kind'], seconds: number): void {
    this.walletCalls.observe({ operation, outcome }, seconds);
  }

  settled(requestedAt: Date, now: Date): void {
    this.lag.observe(Math.max(0, now.getTime() - requestedAt.getTime()) / 1_000);
  }

  alert(reason: SettleAlert): void {
    this.alerts.inc({ reason });
  }

  circuitState(current: CircuitState): void {
    for (const state of CIRCUIT_STATES) this.circuit.set({ state }, state === current ? 1 : 0);
  }
}
