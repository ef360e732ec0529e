import { type GrantRetryPolicy } from '@pitboss/bonus-domain';
import { envInt } from '@pitboss/platform-config';

import { type TenantAmounts, tenantAmounts } from './tenant-amounts.setting';

type Env = Readonly<Record<string, string | undefined>>;

export interface GrantsConfig {
  readonly retry: GrantRetryPolicy;
  readonly leaseMs: number;
  readonly timerPollMs: number;
  /** The poll once no poll found a due grant for a second (this replica's own grants still wake the loop at once). */
  readonly timerIdlePollMs: number;
  readonly concurrency: number;
  /** Velocity: grants per player in any rolling 24 h (Smartico's default, 30). */
  readonly playerGrantsPer24h: number;
  /** Four-eyes: an API grant whose bonus is above the tenant's amount waits for an approval (minor units). */
  readonly grantFourEyesAboveMinor: TenantAmounts;
  /** Four-eyes: a conversion above the tenant's amount (after the max-win cap) waits for an approval. */
  readonly conversionFourEyesAboveMinor: TenantAmounts;
  /** Velocity: conversions per player in any rolling 24 h before the next one waits for an approval. */
  readonly playerConversionsPer24h: number;
}

/** The grants' environment; defaults in docs/configuration.md. */
export function grantsConfig(env: Env = process.env): GrantsConfig {
  return {
    retry: {
      creditMaxAttempts: envInt('GRANT_CREDIT_MAX_ATTEMPTS', 5, env),
      baseMs: envInt('GRANT_RETRY_BASE_MS', 500, env),
      maxMs: envInt('GRANT_RETRY_MAX_MS', 60_000, env),
    },
    leaseMs: envInt('GRANT_LEASE_MS', 15_000, env),
    timerPollMs: envInt('GRANT_TIMER_POLL_MS', 100, env),
    timerIdlePollMs: envInt('GRANT_TIMER_IDLE_POLL_MS', 1_000, env),
    concurrency: envInt('GRANT_CONCURRENCY', 16, env),
    playerGrantsPer24h: envInt('GRANT_VELOCITY_PLAYER_PER_24H', 30, env),
    grantFourEyesAboveMinor: tenantAmounts('GRANT_FOUR_EYES_ABOVE_MINOR', 100_000, env),
    conversionFourEyesAboveMinor: tenantAmounts('CONVERSION_FOUR_EYES_ABOVE_MINOR', 500_000, env),
    playerConversionsPer24h: envInt('GRANT_VELOCITY_CONVERSIONS_PER_24H', 5, env),
  };
}

export const GRANTS_CONFIG = Symbol('GRANTS_CONFIG');
