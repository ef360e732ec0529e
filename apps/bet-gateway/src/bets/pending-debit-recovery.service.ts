import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Pool } from 'pg';
import { Counter, type Registry } from 'prom-client';

import { decideDebitOutcome } from '@pitboss/betting-domain';
import { DATABASE_POOL } from '@pitboss/event-store';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { PeriodicTask } from '../housekeeping/periodic-task';
import { BetRepository } from './bet-repository';

const BATCH = 100;

/**
 * A gateway that dies between recording a debit's intent and its outcome leaves the bet `debit_pending`, and the
 * wallet may hold the stake. If the aggregator never retries, nothing else would resolve it, so such bets are
 * treated as uncertain debits once they are older than any request could be: recorded and rolled back. Every
 * replica sweeps; the bet's stream version makes only one of them record it.
 */
@Injectable()
export class PendingDebitRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PendingDebitRecovery.name);
  private readonly sweeps: PeriodicTask;
  private readonly failures: Counter;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly bets: BetRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.failures = new Counter({
      name: 'gateway_debit_recovery_failures_total',
      help: 'pending debits the recovery sweep could not record (each is tried again on the next sweep)',
      registers: [metrics],
    });
    this.sweeps = new PeriodicTask(
      Math.max(250, Math.floor(config.debitRecoveryAfterMs / 4)),
      () => this.sweep(),
      (error) => this.logger.error(`pending-debit sweep failed: ${String(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.sweeps.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.sweeps.stop();
  }

  /** Resolves every stale pending debit; returns how many bets it recorded as uncertain. */
  async sweep(): Promise<number> {
    const { rows } = await this.pool.query<{ tenant_id: string; bet_id: string }>(
      `SELECT tenant_id, bet_id FROM bet_index
       WHERE status = 'debit_pending' AND updated_at < now() - make_interval(secs => $1 / 1000.0)
       ORDER BY updated_at LIMIT $2`,
      [this.config.debitRecoveryAfterMs, BATCH],
    );
    let recovered = 0;
    for (const { tenant_id: tenantId, bet_id: betId } of rows) {
      // One bet that cannot be recorded must not hold back the rest, sweep after sweep.
      try {
        if (await this.recover(tenantId, betId)) recovered++;
      } catch (error) {
        this.failures.inc();
        this.logger.error(
          `pending debit of bet ${tenantId}/${betId} could not be recorded: ${String(error)}`,
        );
      }
    }
    if (recovered > 0)
      this.logger.warn(`rolled back ${recovered} bets whose debit outcome was never recorded`);
    return recovered;
  }

  private async recover(tenantId: string, betId: string): Promise<boolean> {
    const outcome = {
      kind: 'uncertain',
      cause: 'debit outcome never recorded (gateway stopped mid-call)',
    } as const;
    const { state } = await this.bets.decideAndAppend(
      tenantId,
      betId,
      (s) => decideDebitOutcome(outcome, s),
      {
        traceparent: null,
        causationId: null,
        idempotencyKey: null,
      },
    );
    return state.rollback?.requestedBy === 'SYSTEM';
  }
}
