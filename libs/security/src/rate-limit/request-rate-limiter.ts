import { type RateLimitConfig, requestRateLimitBuckets, type RateLimitSubject } from './rate-limit-config';
import { type RateLimitAllowed, type RateLimiter } from './rate-limiter';

/** The configured per-session and per-tenant limits of one request, charged together. */
export class RequestRateLimiter {
  constructor(
    private readonly limiter: RateLimiter,
    readonly config: RateLimitConfig,
  ) {}

  /** Takes a token from the session's bucket (if any) and the tenant's, or throws `RATE_LIMITED`. */
  consume(subject: RateLimitSubject): Promise<RateLimitAllowed> {
    return this.limiter.consume(requestRateLimitBuckets(this.config, subject));
  }
}
