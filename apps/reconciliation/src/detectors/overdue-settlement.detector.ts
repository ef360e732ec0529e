import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL, PostgresEventStore, withTransaction } from '@pitboss/event-store';
import { isSettlementUnresolved } from '@pitboss/reconciliation-domain';
import { walletKeys } from '@pitboss/wallet-client';

import { RECONCILIATION_CONFIG, type ReconciliationConfig } from '../run/reconciliation.config';
import { raiseDetectorAlert } from './detector-alerts';
import { DetectorMetrics } from './detector-metrics';

const BATCH = 500;

/**
 * settlement_unresolved, continuously: every RECON_CHECK_INTERVAL_MS, the watched settlements requested longer
 * than RECON_SETTLEMENT_TIMEOUT_S ago with neither bet.settled nor settlement.compensated are alerted, once each
 * (`stuck_alerted_at`, and the alert's unique key across replicas).
 */
@Injectable()
export class OverdueSettlementDetector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OverdueSettlementDetector.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly eventStore: PostgresEventStore,
    @Inject(RECONCILIATION_CONFIG) private readonly config: ReconciliationConfig,
    private readonly metrics: DetectorMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.checkIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep; the number of alerts raised. */
  sweep(now = Date.now()): Promise<number> {
    this.running ??= detectUnresolvedSettlements(
      this.pool,
      this.eventStore,
      now,
      this.config.settlementTimeoutMs,
      this.metrics,
    )
      .catch((error: unknown) => {
        this.logger.warn(
          `settlement sweep failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}

export async function detectUnresolvedSettlements(
  pool: Pool,
  eventStore: PostgresEventStore,
  now: number,
  timeoutMs: number,
  metrics?: DetectorMetrics,
): Promise<number> {
  let raised = 0;
  for (;;) {
    const count = await withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<Record<string, unknown>>(
        `SELECT tenant_id, bet_id, player_id, requested_at, win_minor_units, currency, settled_count,
                compensated_at, stuck_alerted_at
           FROM settlement_watch
          WHERE settled_count = 0 AND compensated_at IS NULL AND stuck_alerted_at IS NULL AND requested_at <= $1
          ORDER BY requested_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [new Date(now - timeoutMs)],
      );
      for (const row of rows) {
        const watch = {
          requestedAt: (row['requested_at'] as Date).getTime(),
          settledCount: Number(row['settled_count']),
          compensated: row['compensated_at'] !== null,
          alerted: row['stuck_alerted_at'] !== null,
        };
        if (!isSettlementUnresolved(watch, now, timeoutMs)) continue;
        const tenantId = row['tenant_id'] as string;
        const betId = row['bet_id'] as string;
        await tx.query(
          'UPDATE settlement_watch SET stuck_alerted_at = $3 WHERE tenant_id = $1 AND bet_id = $2',
          [tenantId, betId, new Date(now)],
        );
        if (
          await raiseDetectorAlert(
            tx,
            eventStore,
            {
              detector: 'settlement_unresolved',
              tenantId,
              playerId: row['player_id'] as string,
              transactionKey: walletKeys.credit(tenantId, betId),
              kind: 'credit',
              expectedMinorUnits: Number(row['win_minor_units']),
              actualMinorUnits: null,
              currency: String(row['currency']).trim(),
              reportDate: new Date(now).toISOString().slice(0, 10),
            },
            metrics,
          )
        )
          raised += 1;
      }
      return rows.length;
    });
    if (count < BATCH) return raised;
  }
}
