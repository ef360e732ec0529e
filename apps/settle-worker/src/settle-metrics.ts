import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';
import { METRICS_REGISTRY } from '@pitboss/observability';
import { countSagasByState, PostgresSagaTimers } from '@pitboss/saga';
import { type SettlementState } from '@pitboss/settlement-domain';
import {
  CIRCUIT_STATES,
  type CircuitState,
  type WalletOperation,
  type WalletOutcome,
} from '@pitboss/wallet-client';

/** Labels of `settle_alerts_total`: each one is a case operations must look at. */
export type SettleAlert =
  'credit_budget_exhausted' | 'credit_rejected' | 'rollback_refused' | 'conflicting_settlement';

type BetLabels = 'tenant' | 'game' | 'currency' | 'math_version';

/** The `game` of a bet whose `bet.authorized` settle-worker never saw (streams started before it recorded it). */
export const UNKNOWN_GAME = 'unknown';
/** The `math_version` of a bet played without one (a game with no configured math version). */
export const NO_MATH_VERSION = 'none';

const SETTLE_LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1_800, 3_600, 21_600, 86_400];

/** settle-worker's Prometheus metrics; the saga and timer gauges are sampled from Postgres on each scrape. */
@Injectable()
export class SettleMetrics {
  private readonly lag: Histogram;
  private readonly lagByTenant: Histogram<'tenant'>;
  private readonly betsSettled: Counter<BetLabels>;
  private readonly stakes: Counter<BetLabels>;
  private readonly wins: Counter<BetLabels>;
  private readonly hits: Counter<BetLabels>;
  private readonly walletCalls: Histogram<'operation' | 'outcome'>;
  private readonly alerts: Counter<'reason'>;
  private readonly circuit: Gauge<'state'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(DATABASE_POOL) pool: Pool) {
    const timers = new PostgresSagaTimers();
    // Kept beside bet_settle_lag_seconds: the charts' SLO alert and canary analysis query it without labels.
    this.lag = new Histogram({
      name: 'settle_lag_seconds',
      help: 'From the settlement.requested event (occurred_at) to the credit confirmed by the wallet',
      buckets: SETTLE_LAG_BUCKETS,
      registers: [registry],
    });
    this.lagByTenant = new Histogram({
      name: 'bet_settle_lag_seconds',
      help: "From the bet's result (settlement.requested occurred_at) to its credit confirmed, by tenant",
      labelNames: ['tenant'],
      buckets: SETTLE_LAG_BUCKETS,
      registers: [registry],
    });
    const betCounter = (name: string, help: string) =>
      new Counter<BetLabels>({
        name,
        help,
        labelNames: ['tenant', 'game', 'currency', 'math_version'],
        registers: [registry],
      });
    this.betsSettled = betCounter(
      'bets_settled_total',
      'Bets credited (their settlement saga final), zero wins included',
    );
    this.stakes = betCounter('bet_stakes_minor_units_total', 'Stakes of the credited bets, in minor units');
    this.wins = betCounter(
      'bet_wins_minor_units_total',
      'Gross payouts (returned stake included) of the credited bets, in minor units',
    );
    this.hits = betCounter('bet_hits_total', 'Credited bets with a win above zero');
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

  /**
   * A bet's settlement saga reached `credited`: called once per bet, after the transaction that recorded the
   * transition committed (a redelivered request or a replayed stream never makes that transition again).
   */
  credited(tenant: string, state: SettlementState, now: Date): void {
    const requestedAt = state.requestedAt ?? now;
    const seconds = Math.max(0, now.getTime() - requestedAt.getTime()) / 1_000;
    this.lag.observe(seconds);
    this.lagByTenant.observe({ tenant }, seconds);
    const win = state.win?.minor_units ?? 0;
    const labels = {
      tenant,
      game: state.gameId ?? UNKNOWN_GAME,
      currency: state.win?.currency ?? state.stake?.currency ?? '',
      math_version: state.mathVersion ?? NO_MATH_VERSION,
    };
    this.betsSettled.inc(labels);
    // A bet without recorded facts adds no stake: it is counted, but its stake is not known here.
    this.stakes.inc(labels, state.stake?.minor_units ?? 0);
    this.wins.inc(labels, win);
    if (win > 0) this.hits.inc(labels);
  }

  alert(reason: SettleAlert): void {
    this.alerts.inc({ reason });
  }

  circuitState(current: CircuitState): void {
    for (const state of CIRCUIT_STATES) this.circuit.set({ state }, state === current ? 1 : 0);
  }
}
