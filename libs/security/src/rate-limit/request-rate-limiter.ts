import { Logger } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

import { PitbossError } from '@pitboss/contracts';

import { type RateLimitConfig, requestRateLimitBuckets, type RateLimitSubject } from './rate-limit-config';
import { type RateLimiter } from './rate-limiter';

/**
 * What a request does when the limiter's store (Redis) cannot be asked: `allow` for calls that only finish work
 * already accepted (settle, rollback, reads), whose availability must not depend on a rate limiter; `refuse` for
 * calls that start new work (new bets, sessions), which a limiter that cannot count must not let through.
 */
export type WhenLimiterUnavailable = 'allow' | 'refuse';

/** The configured per-session and per-tenant limits of one request, charged together. */
export class RequestRateLimiter {
  private readonly logger = new Logger(RequestRateLimiter.name);
  private readonly outages?: Counter<'decision'>;
  private storeDown = false;

  constructor(
    private readonly limiter: RateLimiter,
    readonly config: RateLimitConfig,
    metrics?: Registry,
  ) {
    this.outages =
      metrics &&
      new Counter({
        name: 'rate_limiter_unavailable_total',
        help: 'requests decided without the rate limiter because its store failed, by decision (allowed, refused)',
        labelNames: ['decision'],
        registers: [metrics],
      });
  }

  /**
   * Takes a token from the session's bucket (if any) and the tenant's, or throws `RATE_LIMITED`. When the store
   * fails: lets the request through or throws `SERVICE_UNAVAILABLE`, as `whenUnavailable` says.
   */
  async consume(subject: RateLimitSubject, whenUnavailable: WhenLimiterUnavailable): Promise<void> {
    try {
      await this.limiter.consume(requestRateLimitBuckets(this.config, subject));
      this.storeAnswered();
    } catch (error) {
      if (error instanceof PitbossError) {
        this.storeAnswered();
        throw error;
      }
      this.storeFailed(error);
      this.outages?.inc({ decision: whenUnavailable === 'allow' ? 'allowed' : 'refused' });
      if (whenUnavailable === 'allow') return;
      throw new PitbossError(
        'SERVICE_UNAVAILABLE',
        'the rate limiter cannot be reached, so no new work is accepted; retry with the same idempotency key',
        {},
        1,
      );
    }
  }

  // One line when the store goes away and one when it is back, not one per request.
  private storeFailed(error: unknown): void {
    if (this.storeDown) return;
    this.storeDown = true;
    this.logger.error(
      `rate limiter store unavailable (${error instanceof Error ? error.message : String(error)}): ` +
        'settles, rollbacks and reads go through unlimited; new bets and sessions are refused',
    );
  }

  private storeAnswered(): void {
    if (!this.storeDown) return;
    this.storeDown = false;
    this.logger.log('rate limiter store answers again');
  }
}
