import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';

import { type GameConfig } from '@pitboss/betting-domain';
import { METRICS_REGISTRY } from '@pitboss/observability';

import { GameConfigs } from './game-configs.service';

type MathLabels = 'tenant' | 'region' | 'game' | 'math_version';

/**
 * The certified RTP and its corridor of every configured game, as ratios (basis points / 10,000), sampled from
 * the in-memory configs on each scrape. Dashboards (apps/noc) and alerts compare them with the RTP the settled
 * bets show, without calling the gateway's API. A game without a math section has no series.
 */
@Injectable()
export class GameConfigMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, configs: GameConfigs) {
    const gauge = (name: string, help: string, ratioOf: (math: NonNullable<GameConfig['math']>) => number) =>
      new Gauge<MathLabels>({
        name,
        help,
        labelNames: ['tenant', 'region', 'game', 'math_version'],
        registers: [registry],
        collect() {
          // Reset first: a game whose config lost its math section (or a superseded version) must disappear.
          this.reset();
          for (const { tenantId, document } of configs.all()) {
            if (document.math === null) continue;
            const labels = {
              tenant: tenantId,
              region: document.region,
              game: document.game_id,
              math_version: document.math.version,
            };
            this.set(labels, ratioOf(document.math) / 10_000);
          }
        },
      });
    gauge('game_certified_rtp_ratio', 'Certified RTP of the game config in force', (m) => m.certified_rtp_bp);
    gauge(
      'game_rtp_corridor_min_ratio',
      'Lower bound of the certified RTP corridor',
      (m) => m.rtp_corridor_bp.min,
    );
    gauge(
      'game_rtp_corridor_max_ratio',
      'Upper bound of the certified RTP corridor',
      (m) => m.rtp_corridor_bp.max,
    );
  }
}
