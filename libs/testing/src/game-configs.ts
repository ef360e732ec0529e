import { createPool, withTransaction } from '@pitboss/event-store';
import { PostgresVersionedConfig } from '@pitboss/governance';
import { infrastructureConfig } from '@pitboss/platform-config';

/**
 * A game configuration as bet-gateway reads it (`GameConfig` of betting-domain, which this scope:shared lib may
 * not import): the whole document of one version.
 */
export interface SeedGameConfig {
  readonly game_id: string;
  readonly region: string;
  readonly stake_limits: ReadonlyArray<{
    currency: string;
    min_minor_units: number;
    max_minor_units: number;
  }>;
  readonly denominations: readonly number[];
  readonly geo_bans: readonly string[];
  readonly features: Readonly<Record<string, boolean>>;
  readonly math: {
    readonly version: string;
    readonly certified_rtp_bp: number;
    readonly rtp_corridor_bp: { readonly min: number; readonly max: number };
    readonly certificate: string;
  } | null;
}

/** A game config with no rules (no limits, bans or flags) and a certified math version, for demos and tests. */
export function certifiedGameConfig(
  gameId: string,
  math: { version: string; certifiedRtpBp: number; corridorBp: { min: number; max: number } },
  region = infrastructureConfig().region,
): SeedGameConfig {
  return {
    game_id: gameId,
    region,
    stake_limits: [],
    denominations: [],
    geo_bans: [],
    features: {},
    math: {
      version: math.version,
      certified_rtp_bp: math.certifiedRtpBp,
      rtp_corridor_bp: math.corridorBp,
      certificate: `seed-${math.version}`,
    },
  };
}

/**
 * Writes a version of each game's config for `tenantId` straight into bet-gateway's versioned config (schema
 * `gatewaySchema`, after the gateway migrated it); the running gateways pick them up by LISTEN/NOTIFY. A seed for
 * local demos and tests, not the four-eyes path: no change request, `change_request_id` null.
 */
export async function seedGameConfigs(
  gatewaySchema: string,
  tenantId: string,
  configs: readonly SeedGameConfig[],
): Promise<void> {
  const pool = createPool({
    databaseUrl: infrastructureConfig().databaseUrl,
    schema: gatewaySchema,
    maxConnections: 1,
  });
  const versions = new PostgresVersionedConfig(gatewaySchema);
  try {
    await withTransaction(pool, async (tx) => {
      for (const config of configs) {
        const key = `${config.game_id}:${config.region}`;
        await versions.append(tx, tenantId, 'game_config', key, config, null);
      }
    });
  } finally {
    await pool.end();
  }
}
