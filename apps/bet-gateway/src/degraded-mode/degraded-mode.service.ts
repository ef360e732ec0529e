import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';

import { DATABASE_POOL } from '@pitboss/event-store';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';

export interface GatewayMode {
  readonly noNewSessions: boolean;
  /** `manual`: an operator switched it; `backlog`: too many settlements wait for their credit. */
  readonly source: 'manual' | 'backlog' | null;
  readonly reason: string;
  readonly settlementBacklog: number;
}

/**
 * "No new sessions": running rounds keep betting, settling and rolling back, but no player starts a new one.
 * Switched by an operator (kept in Postgres so every replica agrees) and automatically while the settlement
 * backlog is above its threshold. The backlog is re-counted at most once per sample period.
 */
@Injectable()
export class DegradedMode {
  private sample?: { at: number; backlog: number };
  private readonly modeGauge: Gauge<'source'>;
  private readonly backlogGauge: Gauge;

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    this.modeGauge = new Gauge({
      name: 'gateway_no_new_sessions',
      help: '1 while the gateway refuses new sessions, by what switched it (manual, backlog)',
      labelNames: ['source'],
      registers: [metrics],
    });
    this.backlogGauge = new Gauge({
      name: 'gateway_settlement_backlog',
      help: 'Settlements accepted and not yet credited or compensated (last sample)',
      registers: [metrics],
    });
  }

  async current(): Promise<GatewayMode> {
    const [manual, backlog] = await Promise.all([this.manualMode(), this.settlementBacklog()]);
    const overThreshold = backlog > this.config.degradedBacklogThreshold;
    this.modeGauge.set({ source: 'manual' }, manual?.noNewSessions ? 1 : 0);
    this.modeGauge.set({ source: 'backlog' }, overThreshold ? 1 : 0);
    if (manual?.noNewSessions)
      return { noNewSessions: true, source: 'manual', reason: manual.reason, settlementBacklog: backlog };
    if (overThreshold) {
      const reason = `settlement backlog ${backlog} is above ${this.config.degradedBacklogThreshold}`;
      return { noNewSessions: true, source: 'backlog', reason, settlementBacklog: backlog };
    }
    return { noNewSessions: false, source: null, reason: '', settlementBacklog: backlog };
  }

  async switchManually(noNewSessions: boolean, reason: string): Promise<GatewayMode> {
    await this.pool.query(
      `INSERT INTO gateway_mode (singleton, no_new_sessions, reason) VALUES (true, $1, $2)
       ON CONFLICT (singleton) DO UPDATE SET no_new_sessions = $1, reason = $2, changed_at = now()`,
      [noNewSessions, reason],
    );
    return this.current();
  }

  private async manualMode(): Promise<{ noNewSessions: boolean; reason: string } | undefined> {
    const { rows } = await this.pool.query<{ no_new_sessions: boolean; reason: string }>(
      'SELECT no_new_sessions, reason FROM gateway_mode',
    );
    const row = rows[0];
    return row && { noNewSessions: row.no_new_sessions, reason: row.reason };
  }

  private async settlementBacklog(): Promise<number> {
    const now = Date.now();
    if (this.sample && now - this.sample.at < this.config.backlogSampleMs) return this.sample.backlog;
    const { rows } = await this.pool.query<{ backlog: string }>(
      "SELECT count(*) AS backlog FROM bet_index WHERE status = 'pending_credit'",
    );
    this.sample = { at: now, backlog: Number(rows[0]?.backlog ?? 0) };
    this.backlogGauge.set(this.sample.backlog);
    return this.sample.backlog;
  }
}
