import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';
import { PostgresSagaTimers, SagaTimerLoop } from '@pitboss/saga';
import { type WalletClient } from '@pitboss/wallet-client';

import { GrantStepRunner } from './grant-step.runner';
import { GRANT_WALLET } from './grant-wallet.provider';
import { GRANTS_CONFIG, type GrantsConfig } from './grants.config';

/** The grants' durable timer loop (libs/saga, as settle-worker's): claims due grants, one lease each. */
@Injectable()
export class GrantTimersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('GrantTimers');
  private readonly loop: SagaTimerLoop;

  constructor(
    @Inject(DATABASE_POOL) pool: Pool,
    runner: GrantStepRunner,
    @Inject(GRANTS_CONFIG) config: GrantsConfig,
    @Inject(GRANT_WALLET) private readonly wallet: WalletClient,
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
          this.logger.error(`grant ${name(lease)}: step failed: ${messageOf(error)}`),
        leaseLost: (lease) => this.logger.warn(`grant ${name(lease)}: lease lost to another replica`),
        pollFailed: (error) => this.logger.warn(`timer poll failed: ${messageOf(error)}`),
      },
    );
  }

  /** A grant this replica just scheduled is stepped when due, not at the next poll. */
  notifyDue(at: Date): void {
    this.loop.notifyDue(at);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    this.logger.log('grant timer loop started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.wallet.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
