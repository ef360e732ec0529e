import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';
import { dayWindow, dueReportDate } from '@pitboss/reconciliation-domain';

import { tenantsInWindow } from './mirror-queries';
import { claimScheduledRun, completeScheduledRun, releaseScheduledRun } from './schedule-claims';
import { RECONCILIATION_CONFIG, type ReconciliationConfig } from './reconciliation.config';
import { ReconciliationRunner } from './reconciliation-runner';

/**
 * The scheduled run inside the service: once the clock passes RECON_SCHEDULE_UTC, yesterday is reconciled for
 * every tenant with expected movements that day. A tenant's day is claimed first (`scheduled_runs` primary key),
 * so across replicas and restarts it runs once; a run that fails gives its claim back and is tried at the next
 * check. `npm run recon:daily` and imports rerun a day whenever asked (a new run record, the same figures).
 */
@Injectable()
export class ScheduledReconciliation implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ScheduledReconciliation.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(RECONCILIATION_CONFIG) private readonly config: ReconciliationConfig,
    private readonly runner: ReconciliationRunner,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.scheduleMinuteUtc === null) return;
    this.timer = setInterval(() => void this.tick(), this.config.checkIntervalMs);
    this.timer.unref();
    void this.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One check: the due day's unclaimed tenants, each claimed and run. Never two checks at once. */
  tick(now = Date.now()): Promise<void> {
    if (this.running || this.config.scheduleMinuteUtc === null) return this.running ?? Promise.resolve();
    const date = dueReportDate(now, this.config.scheduleMinuteUtc);
    if (date === null) return Promise.resolve();
    this.running = this.runDay(date)
      .catch((error: unknown) => this.logger.warn(`scheduled run of ${date} failed: ${messageOf(error)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async runDay(date: string): Promise<void> {
    for (const tenantId of await tenantsInWindow(this.pool, dayWindow(date))) {
      if (!(await claimScheduledRun(this.pool, tenantId, date))) continue;
      try {
        const result = await this.runner.fromWalletApi(tenantId, date);
        await completeScheduledRun(this.pool, tenantId, date, result.runId);
        this.logger.log(
          `reconciled ${tenantId} ${date}: run ${result.runId}, alerted ${result.outcome.alerted}`,
        );
      } catch (error) {
        await releaseScheduledRun(this.pool, tenantId, date);
        throw error;
      }
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
