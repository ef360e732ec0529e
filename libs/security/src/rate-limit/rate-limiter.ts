import { createHash } from 'node:crypto';

import { type Redis } from 'ioredis';

import { PitbossError } from '@pitboss/contracts';

import { assertValidBuckets, type RateLimitBucket } from './rate-limit-bucket';
import { TOKEN_BUCKET_SCRIPT } from './token-bucket.script';

export interface RateLimitAllowed {
  readonly allowed: true;
  /** Whole tokens left in each bucket after this request, in the order given. */
  readonly remaining: readonly number[];
}

export interface RateLimitRefused {
  readonly allowed: false;
  /** The scope of the bucket that refused (the one that needs longest to refill a token). */
  readonly scope: string;
  /** Until every bucket holds a token again, by Redis's clock. */
  readonly retryAfterMs: number;
  readonly remaining: readonly number[];
}

export type RateLimitDecision = RateLimitAllowed | RateLimitRefused;

const DISCONNECTED: ReadonlySet<string> = new Set(['reconnecting', 'close', 'end']);

const SCRIPT_SHA = createHash('sha1').update(TOKEN_BUCKET_SCRIPT).digest('hex');

/** Token buckets in Redis, several charged atomically per request (see `TOKEN_BUCKET_SCRIPT`). */
export class RateLimiter {
  constructor(private readonly redis: Redis) {}

  /** Takes a token from every bucket, or from none and throws `RATE_LIMITED` with the seconds to wait. */
  async consume(buckets: readonly RateLimitBucket[]): Promise<RateLimitAllowed> {
    const decision = await this.tryConsume(buckets);
    if (decision.allowed) return decision;
    throw new PitbossError(
      'RATE_LIMITED',
      `Too many requests for this ${decision.scope}`,
      { scope: decision.scope },
      Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
    );
  }

  /** `consume` without the error: the decision as the script made it. */
  async tryConsume(buckets: readonly RateLimitBucket[]): Promise<RateLimitDecision> {
    assertValidBuckets(buckets);
    const keys = buckets.map((bucket) => bucket.key);
    const args = buckets.flatMap((bucket) => [bucket.ratePerSecond, bucket.burst]);
    const reply = await this.run(keys, args);
    const [allowed, limiting, retryAfterMs, ...remaining] = reply;
    if (allowed === 1) return { allowed: true, remaining };
    const scope = buckets[(limiting ?? 0) - 1]?.scope;
    if (scope === undefined || retryAfterMs === undefined) {
      throw new Error(`unexpected rate-limit script reply ${JSON.stringify(reply)}`);
    }
    return { allowed: false, scope, retryAfterMs, remaining };
  }

  // EVALSHA sends 40 bytes instead of the script; after a Redis restart or failover the script cache is empty,
  // and EVAL both runs the script and caches it again.
  private async run(keys: readonly string[], args: readonly number[]): Promise<number[]> {
    // Connection lost: fail at once rather than after the client's reconnection attempts and command timeout, so
    // a caller that lets requests through without the limiter (settle, rollback) does not wait on an outage. (While
    // first connecting, commands wait in ioredis's queue, bounded by its command timeout.)
    if (DISCONNECTED.has(this.redis.status)) throw new Error(`Redis is ${this.redis.status}`);
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      reply = await this.redis.eval(TOKEN_BUCKET_SCRIPT, keys.length, ...keys, ...args);
    }
    if (!Array.isArray(reply) || !reply.every((item) => typeof item === 'number')) {
      throw new Error(`unexpected rate-limit script reply ${JSON.stringify(reply)}`);
    }
    return reply as number[];
  }
}
