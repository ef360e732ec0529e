import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import { PostgresIdempotencyStore } from '@pitboss/idempotency';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { SessionRepository } from '../sessions/session.repository';
import { PeriodicTask } from './periodic-task';
import { PURGE_CONFIG, type PurgeConfig } from './purge.config';

export type PurgedRows = Record<'idempotency_records' | 'sessions', number>;

/**
 * Deletes expired idempotency records and sessions, in batches of `batchSize` rows per statement until a batch
 * comes back short, every `intervalMs`. Every replica runs it: each batch locks its rows `FOR UPDATE SKIP LOCKED`,
 * so replicas purging at once delete different rows and never wait for each other.
 */
@Injectable()
export class ExpiredRowsPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiredRowsPurger.name);
  private readonly purged: Counter<'table'>;
  private readonly purges: PeriodicTask;

  constructor(
    private readonly idempotency: PostgresIdempotencyStore,
    private readonly sessions: SessionRepository,
    @Inject(PURGE_CONFIG) private readonly config: PurgeConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.purged = new Counter({
      name: 'gateway_purged_rows_total',
      help: 'expired rows deleted by the purge, by table (idempotency_records, sessions)',
      labelNames: ['table'],
      registers: [metrics],
    });
    this.purges = new PeriodicTask(
      config.intervalMs,
      () => this.purgeOnce(),
      (error) => this.logger.error(`purge failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.purges.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.purges.stop();
  }

  /** One purge of both tables; what it removed. */
  async purgeOnce(): Promise<PurgedRows> {
    const { batchSize, sessionGraceMs } = this.config;
    const removed: PurgedRows = {
      idempotency_records: await this.idempotency.purgeExpired(batchSize),
      sessions: await this.sessions.purgeExpired(sessionGraceMs, batchSize),
    };
    for (const [table, rows] of Object.entries(removed)) {
      if (rows === 0) continue;
      this.purged.inc({ table }, rows);
      this.logger.log(`purged ${rows} expired rows from ${table}`);
    }
    return removed;
  }
}
