import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Pool } from 'pg';

import { type GameConfig } from '@pitboss/betting-domain';
import { DATABASE_POOL } from '@pitboss/event-store';
import { ConfigCache, type ConfigVersion } from '@pitboss/governance';

import { GOVERNANCE_CONFIG, type GovernanceConfig } from './governance.config';
import { GAME_CONFIG_NAMESPACE, gameConfigKey } from './game-config.schema';

/**
 * The current config version of every game of this region, in memory: authorize reads it without a query.
 * Fed by LISTEN/NOTIFY (a version reaches every replica as its transaction commits) with a poll fallback.
 */
@Injectable()
export class GameConfigs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(GameConfigs.name);
  private readonly cache: ConfigCache<GameConfig>;

  constructor(
    @Inject(DATABASE_POOL) pool: Pool,
    @Inject(GOVERNANCE_CONFIG) private readonly config: GovernanceConfig,
  ) {
    this.cache = new ConfigCache<GameConfig>(pool, {
      databaseUrl: config.databaseUrl,
      schema: config.schema,
      namespace: GAME_CONFIG_NAMESPACE,
      pollMs: config.configPollMs,
      keep: (version) => (version.document as GameConfig).region === config.region,
      onError: (error) => this.logger.warn(`game config refresh failed: ${String(error)}`),
      onChange: (version) =>
        this.logger.log(`game config ${version.tenantId}/${version.key} version ${version.version} in force`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.cache.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.cache.stop();
  }

  /** The game's config in force on this replica, or null (no config: today's behaviour, nothing checked). */
  current(tenantId: string, gameId: string): ConfigVersion<GameConfig> | null {
    return this.cache.get(tenantId, gameConfigKey(gameId, this.config.region)) ?? null;
  }

  configFor(tenantId: string, gameId: string): GameConfig | null {
    return this.current(tenantId, gameId)?.document ?? null;
  }

  /** Every game config in force on this replica (this region's). */
  all(): ConfigVersion<GameConfig>[] {
    return this.cache.all();
  }
}
