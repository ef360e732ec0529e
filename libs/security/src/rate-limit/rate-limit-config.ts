import { ConfigError, envInt, envString } from '@pitboss/platform-config';

import { type RateLimitBucket } from './rate-limit-bucket';

type Env = Readonly<Record<string, string | undefined>>;

export interface RateLimitRule {
  readonly ratePerSecond: number;
  readonly burst: number;
}

export interface RateLimitConfig {
  /** All of a tenant's traffic: `RATE_LIMIT_TENANT_PER_SECOND` (2000), `RATE_LIMIT_TENANT_BURST` (4000). */
  readonly tenant: RateLimitRule;
  /** One game session's traffic: `RATE_LIMIT_SESSION_PER_SECOND` (50), `RATE_LIMIT_SESSION_BURST` (100). */
  readonly session: RateLimitRule;
  /** Prepended to every bucket key: `RATE_LIMIT_KEY_PREFIX` (`ratelimit:`). */
  readonly keyPrefix: string;
}

export function rateLimitConfigFromEnv(env: Env = process.env): RateLimitConfig {
  return {
    tenant: {
      ratePerSecond: positive('RATE_LIMIT_TENANT_PER_SECOND', 2_000, env),
      burst: positive('RATE_LIMIT_TENANT_BURST', 4_000, env),
    },
    session: {
      ratePerSecond: positive('RATE_LIMIT_SESSION_PER_SECOND', 50, env),
      burst: positive('RATE_LIMIT_SESSION_BURST', 100, env),
    },
    keyPrefix: envString('RATE_LIMIT_KEY_PREFIX', 'ratelimit:', env),
  };
}

export interface RateLimitSubject {
  readonly tenantId: string;
  /** Absent for calls outside a game session (opening one, for instance): only the tenant bucket applies. */
  readonly sessionId?: string;
}

/**
 * The buckets of one request: its session's (when it has one) and its tenant's, to be consumed together. Both
 * keys carry the tenant as Redis Cluster hash tag, so they live on one shard and one script can charge both.
 */
export function requestRateLimitBuckets(
  config: RateLimitConfig,
  { tenantId, sessionId }: RateLimitSubject,
): RateLimitBucket[] {
  if (tenantId === '' || /[{}]/.test(tenantId)) throw new RangeError(`unusable tenant id for rate limiting`);
  const tag = `${config.keyPrefix}{${tenantId}}`;
  const tenant = { key: `${tag}:tenant`, scope: 'tenant', ...config.tenant };
  if (sessionId === undefined) return [tenant];
  return [{ key: `${tag}:session:${sessionId}`, scope: 'session', ...config.session }, tenant];
}

function positive(name: string, fallback: number, env: Env): number {
  const value = envInt(name, fallback, env);
  if (value < 1) throw new ConfigError(`${name} must be at least 1, got ${value}`);
  return value;
}
