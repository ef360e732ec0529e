/** One token bucket: `burst` tokens at most, refilled continuously at `ratePerSecond`; a request takes one. */
export interface RateLimitBucket {
  /** The Redis key. Buckets charged together must share a Redis Cluster hash tag (`{tenant}`). */
  readonly key: string;
  /** What is limited, as told to the caller in the RATE_LIMITED error (`tenant`, `session`). */
  readonly scope: string;
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** Refuses buckets the script could not honour, before anything is sent to Redis. */
export function assertValidBuckets(buckets: readonly RateLimitBucket[]): void {
  if (buckets.length === 0) throw new RangeError('rate limiting needs at least one bucket');
  const keys = new Set<string>();
  for (const { key, ratePerSecond, burst } of buckets) {
    if (key === '') throw new RangeError('a rate-limit bucket needs a key');
    // The same key twice would be read twice and charged once.
    if (keys.has(key)) throw new RangeError(`rate-limit bucket ${key} is listed twice`);
    keys.add(key);
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
      throw new RangeError(`rate-limit bucket ${key}: ratePerSecond must be positive, got ${ratePerSecond}`);
    }
    if (!Number.isSafeInteger(burst) || burst < 1) {
      throw new RangeError(`rate-limit bucket ${key}: burst must be a positive integer, got ${burst}`);
    }
  }
}
