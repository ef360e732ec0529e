import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';

import { DATABASE_POOL, type Transaction, withTransaction } from '@pitboss/event-store';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { PeriodicTask } from '../housekeeping/periodic-task';

/** The mode as `GET /v1/admin/mode` answers it (snake_case, like the rest of the API). */
export interface GatewayMode {
  readonly no_new_sessions: boolean;
  /** `manual`: an operator switched it; `backlog`: too many of the tenant's settlements wait for their credit. */
  readonly source: 'manual' | 'backlog' | null;
  readonly reason: string;
  /** Settlements accepted and not yet credited or compensated, per tenant (last sample). */
  readonly settlement_backlog: Readonly<Record<string, number>>;
}

/** The operator's switch, as kept in `gateway_mode`. */
export interface ManualMode {
  readonly noNewSessions: boolean;
  readonly reason: string;
}

/**
 * "No new sessions": running rounds keep betting, settling and rolling back, but no player starts a new one.
 * Switched by an operator for every tenant (kept in Postgres so every replica agrees), and automatically for a
 * tenant while its own settlement backlog is above the threshold: each tenant has its own wallet, and one
 * wallet's trouble must not stop the others' players. The backlog is counted in the background every sample
 * period (also feeding the gauge), so opening a session reads a number and never waits for a count.
 */
@Injectable()
export class DegradedMode implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DegradedMode.name);
  private backlog: ReadonlyMap<string, number> | undefined;
  /** Absent when `backlogSampleMs` is 0: the backlog is then counted on every read (tests). */
  private readonly sampler?: PeriodicTask;
  private readonly modeGauge: Gauge<'source'>;
  private readonly backlogGauge: Gauge<'tenant'>;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.modeGauge = new Gauge({
      name: 'gateway_no_new_sessions',
      help: '1 while the gateway refuses new sessions, by what switched it (manual: all tenants; backlog: any tenant)',
      labelNames: ['source'],
      registers: [metrics],
    });
    this.backlogGauge = new Gauge({
      name: 'gateway_settlement_backlog',
      help: 'Settlements accepted and not yet credited or compensated, per tenant (last sample)',
      labelNames: ['tenant'],
      registers: [metrics],
    });
    if (config.backlogSampleMs > 0) {
      this.sampler = new PeriodicTask(
        config.backlogSampleMs,
        () => this.countBacklog(),
        (error) => this.logger.warn(`backlog count failed: ${String(error)}`),
      );
    }
  }

  onApplicationBootstrap(): void {
    this.sampler?.start();
  }

  onApplicationShutdown(): Promise<void> | undefined {
    return this.sampler?.stop();
  }

  /** The mode for one tenant (what opening a session checks), or for the platform with every tenant's backlog. */
  async current(tenantId?: string): Promise<GatewayMode> {
    const [manual, backlog] = await Promise.all([this.manualMode(), this.backlogSample()]);
    const overThreshold = [...backlog].filter(
      ([tenant, count]) => count > this.config.degradedBacklogThreshold && (tenantId ?? tenant) === tenant,
    );
    this.modeGauge.set({ source: 'manual' }, manual?.noNewSessions ? 1 : 0);
    const settlementBacklog = Object.fromEntries(
      tenantId === undefined ? backlog : [[tenantId, backlog.get(tenantId) ?? 0]],
    );
    if (manual?.noNewSessions) {
      return {
        no_new_sessions: true,
        source: 'manual',
        reason: manual.reason,
        settlement_backlog: settlementBacklog,
      };
    }
    if (overThreshold.length > 0) {
      const reason = overThreshold
        .map(
          ([tenant, count]) =>
            `settlement backlog of ${tenant} ${count} is above ${this.config.degradedBacklogThreshold}`,
        )
        .join('; ');
      return { no_new_sessions: true, source: 'backlog', reason, settlement_backlog: settlementBacklog };
    }
    return { no_new_sessions: false, source: null, reason: '', settlement_backlog: settlementBacklog };
  }

  /**
   * Switches the manual mode; `record` runs in the same transaction with the manual mode before and after (the
   * admin route appends the switch to the audit journal there, so a switch and its entry commit together).
   */
  async switchManually(
    noNewSessions: boolean,
    reason: string,
    record?: (tx: Transaction, before: ManualMode | null, after: ManualMode) => Promise<void>,
  ): Promise<GatewayMode> {
    await withTransaction(this.pool, async (tx) => {
      const before = await this.manualMode(tx, 'FOR UPDATE');
      await tx.query(
        `INSERT INTO gateway_mode (singleton, no_new_sessions, reason) VALUES (true, $1, $2)
         ON CONFLICT (singleton) DO UPDATE SET no_new_sessions = $1, reason = $2, changed_at = now()`,
        [noNewSessions, reason],
      );
      await record?.(tx, before ?? null, { noNewSessions, reason });
    });
    return this.current();
  }

  private async manualMode(db: Pool | Transaction = this.pool, lock = ''): Promise<ManualMode | undefined> {
    const { rows } = await db.query<{ no_new_sessions: boolean; reason: string }>(
      `SELECT no_new_sessions, reason FROM gateway_mode ${lock}`,
    );
    const row = rows[0];
    return row && { noNewSessions: row.no_new_sessions, reason: row.reason };
  }

  private async backlogSample(): Promise<ReadonlyMap<string, number>> {
    if (this.backlog === undefined || this.config.backlogSampleMs <= 0) await this.countBacklog();
    return this.backlog ?? new Map();
  }

  private async countBacklog(): Promise<void> {
    const { rows } = await this.pool.query<{ tenant_id: string; backlog: number }>(
      `SELECT tenant_id, count(*)::int AS backlog FROM bet_index WHERE status = 'pending_credit' GROUP BY tenant_id`,
    );
    const backlog = new Map(rows.map((row) => [row.tenant_id, row.backlog]));
    // Tenants whose backlog drained keep a series at 0 rather than a stale last value.
    for (const tenant of this.backlog?.keys() ?? []) {
      if (!backlog.has(tenant)) this.backlogGauge.set({ tenant }, 0);
    }
    for (const [tenant, count] of backlog) this.backlogGauge.set({ tenant }, count);
    this.modeGauge.set(
      { source: 'backlog' },
      [...backlog.values()].some((count) => count > this.config.degradedBacklogThreshold) ? 1 : 0,
    );
    this.backlog = backlog;
  }
}
