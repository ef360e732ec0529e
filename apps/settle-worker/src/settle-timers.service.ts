import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';
import { PostgresSagaTimers, type SagaStep, SagaTimerLoop, type ScheduledLease } from '@pitboss/saga';
import { type WalletClient } from '@pitboss/wallet-client';

import { BetStepRunner } from './bet-step.runner';
import { SETTLE_WORKER_CONFIG, type SettleWorkerConfig } from './settle-worker.config';
import { WALLET_CLIENT } from './wallet-client.provider';

/** The durable timer loop: claims due bets (lease per bet) and runs their step. Stops before the pool closes. */
@Injectable()
export class SettleTimersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SettleTimers');
  private readonly loop: SagaTimerLoop;

  constructor(
    @Inject(DATABASE_POOL) pool: Pool,
    runner: BetStepRunner,
    @Inject(SETTLE_WORKER_CONFIG) config: SettleWorkerConfig,
    @Inject(WALLET_CLIENT) private readonly wallet: WalletClient,
  ) {
    const name = (lease: { tenantId: string; subjectId: string }) => `${lease.tenantId}/${lease.subjectId}`;
    this.loop = new SagaTimerLoop(
      pool,
      new PostgresSagaTimers(),
      (lease) => runner.run(lease),
      {
        pollMs: config.timerPollMs,
        idlePollMs: config.timerIdlePollMs,
        concurrency: config.concurrency,
        leaseMs: config.leaseMs,
        errorRetryMs: Math.max(config.retry.baseMs, 1_000),
      },
      {
        stepFailed: (lease, error) =>
          this.logger.error(`bet ${name(lease)}: step failed: ${messageOf(error)}`),
        leaseLost: (lease) => this.logger.warn(`bet ${name(lease)}: lease lost to another replica`),
        pollFailed: (error) => this.logger.warn(`timer poll failed: ${messageOf(error)}`),
      },
    );
  }

  /** See `SagaTimerLoop.notifyDue`: a saga this replica just scheduled is stepped when due, not at the next poll. */
  notifyDue(at: Date): void {
    this.loop.notifyDue(at);
  }

  /** See `SagaTimerLoop.hasFreeSlots`: whether a consumer's transaction should take a due saga's lease. */
  hasFreeSlots(extra: number): boolean {
    return this.loop.hasFreeSlots(extra);
  }

  /** See `SagaTimerLoop.adopt`: steps a saga whose lease a committed consumer transaction took. */
  adopt(lease: ScheduledLease, step?: SagaStep): void {
    this.loop.adopt(lease, step);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    this.logger.log('timer loop started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.wallet.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
