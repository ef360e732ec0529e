import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { type Redis } from 'ioredis';
import { type Registry } from 'prom-client';

import { HealthController, METRICS_REGISTRY, MetricsController } from '@pitboss/observability';
import { REDIS_CLIENT } from '@pitboss/redis';

import { type RateLimitConfig, rateLimitConfigFromEnv } from '../rate-limit/rate-limit-config';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { RequestRateLimiter } from '../rate-limit/request-rate-limiter';
import { signatureMaxSkewMsFromEnv } from '../signing/signature-config';
import { TenantSecrets } from '../signing/tenant-secrets';
import { SIGNATURE_GUARD_OPTIONS, type SignatureGuardOptions } from './signature-guard.options';
import { SignatureGuard } from './signature.guard';

/** Injection token of the `RateLimitConfig` in use. */
export const RATE_LIMIT_CONFIG = Symbol('RATE_LIMIT_CONFIG');

export interface SecurityModuleOptions {
  /** Defaults to `TenantSecrets.fromEnv()` (`TENANT_SECRETS`). */
  readonly tenantSecrets?: TenantSecrets;
  /** Defaults to `rateLimitConfigFromEnv()` (`RATE_LIMIT_*`). */
  readonly rateLimit?: RateLimitConfig;
  /** Defaults to `SIGNATURE_MAX_SKEW_MS`, 300000. */
  readonly maxSkewMs?: number;
  /**
   * True (default): `SignatureGuard` guards every route of the app (`APP_GUARD`), except `@PublicRoute()` ones
   * and `publicControllers`. False: apply it yourself with `@UseGuards(SignatureGuard)`.
   */
  readonly guardAllRoutes?: boolean;
  /** Served unsigned: by default the health and metrics controllers of `ObservabilityModule`. */
  readonly publicControllers?: readonly Type[];
  /** Server time in unix milliseconds; `Date.now` unless a test says otherwise. */
  readonly now?: () => number;
}

/**
 * Request signing and rate limiting for an HTTP service: `TenantSecrets`, `SignatureGuard` (on every route
 * by default), `RateLimiter` and `RequestRateLimiter` on the app's `REDIS_CLIENT` (so `RedisModule` must be in
 * the app). Global, so controllers anywhere can inject them. The app must be created with `{ rawBody: true }`.
 */
@Module({})
export class SecurityModule {
  static forRoot(options: SecurityModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [
      { provide: TenantSecrets, useFactory: () => options.tenantSecrets ?? TenantSecrets.fromEnv() },
      {
        provide: SIGNATURE_GUARD_OPTIONS,
        useFactory: (): SignatureGuardOptions => ({
          maxSkewMs: options.maxSkewMs ?? signatureMaxSkewMsFromEnv(),
          publicControllers: options.publicControllers ?? [HealthController, MetricsController],
          now: options.now ?? Date.now,
        }),
      },
      SignatureGuard,
      { provide: RATE_LIMIT_CONFIG, useFactory: () => options.rateLimit ?? rateLimitConfigFromEnv() },
      { provide: RateLimiter, inject: [REDIS_CLIENT], useFactory: (redis: Redis) => new RateLimiter(redis) },
      {
        provide: RequestRateLimiter,
        inject: [RateLimiter, RATE_LIMIT_CONFIG, METRICS_REGISTRY],
        useFactory: (limiter: RateLimiter, config: RateLimitConfig, metrics: Registry) =>
          new RequestRateLimiter(limiter, config, metrics),
      },
    ];
    if (options.guardAllRoutes ?? true) providers.push({ provide: APP_GUARD, useExisting: SignatureGuard });
    return {
      module: SecurityModule,
      global: true,
      providers,
      exports: [TenantSecrets, SignatureGuard, RATE_LIMIT_CONFIG, RateLimiter, RequestRateLimiter],
    };
  }
}
