import { ConfigError, envInt } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/** bet-gateway's purge of expired rows (docs/configuration.md). */
export interface PurgeConfig {
  /** Pause between two purges (`PURGE_INTERVAL_MS`, 60 s). */
  readonly intervalMs: number;
  /** Rows one DELETE removes at most (`PURGE_BATCH_SIZE`, 1,000), so no statement holds many locks for long. */
  readonly batchSize: number;
  /**
   * How long after its expiry a session row is kept (`SESSION_PURGE_GRACE_MS`, 24 h). Only for the answer: an
   * authorize on a kept expired session is SESSION_EXPIRED, on a purged one SESSION_NOT_FOUND; both refuse.
   */
  readonly sessionGraceMs: number;
}

export function purgeConfig(env: Env = process.env): PurgeConfig {
  return {
    intervalMs: atLeast('PURGE_INTERVAL_MS', envInt('PURGE_INTERVAL_MS', 60_000, env), 10),
    batchSize: atLeast('PURGE_BATCH_SIZE', envInt('PURGE_BATCH_SIZE', 1_000, env), 1),
    sessionGraceMs: atLeast(
      'SESSION_PURGE_GRACE_MS',
      envInt('SESSION_PURGE_GRACE_MS', 24 * 3_600_000, env),
      0,
    ),
  };
}

function atLeast(name: string, value: number, minimum: number): number {
  if (value < minimum) throw new ConfigError(`${name} must be at least ${minimum}, got ${value}`);
  return value;
}

export const PURGE_CONFIG = Symbol('PURGE_CONFIG');
