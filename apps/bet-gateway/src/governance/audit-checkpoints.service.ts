import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL, withTransaction } from '@pitboss/event-store';
import { PostgresAuditJournal } from '@pitboss/governance';

import { PeriodicTask } from '../housekeeping/periodic-task';
import { GOVERNANCE_CONFIG, type GovernanceConfig } from './governance.config';

/**
 * Publishes the audit chain's head as `audit.checkpoint` (audit.v1, through the outbox) every
 * `AUDIT_CHECKPOINT_INTERVAL_MS` when it moved: a deleted tail is then detectable from outside the database.
 */
@Injectable()
export class AuditCheckpoints implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditCheckpoints.name);
  private readonly task: PeriodicTask;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly journal: PostgresAuditJournal,
    @Inject(GOVERNANCE_CONFIG) config: GovernanceConfig,
  ) {
    this.task = new PeriodicTask(
      config.auditCheckpointMs,
      () => this.publish().then(() => undefined),
      (error) => this.logger.warn(`audit checkpoint failed: ${String(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  publish() {
    return withTransaction(this.pool, (tx) => this.journal.publishCheckpoint(tx, 'bet-gateway'));
  }
}
