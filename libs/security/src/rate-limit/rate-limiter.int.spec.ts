import { type Redis } from 'ioredis';

import { PitbossError } from '@pitboss/contracts';
import { infrastructureConfig } from '@pitboss/platform-config';
import { createRedisClient } from '@pitboss/redis';
import { expectEventually, uniqueTestPrefix } from '@pitboss/testing';

import { type RateLimitBucket } from './rate-limit-bucket';
import { type RateLimitConfig, requestRateLimitBuckets } from './rate-limit-config';
import { RateLimiter } from './rate-limiter';

// So slow that no token comes back while a test runs.
const NO_REFILL = 0.001;

describe(RateLimiter.name, () => {
  const clients: Redis[] = [];
  let redis: Redis;
  let sut: RateLimiter;
  let prefix: string;

  function newClient(): Redis {
    const client = createRedisClient({
      url: infrastructureConfig().redisUrl,
      connectionName: 'security-int',
    });
    clients.push(client);
    return client;
  }

  function bucket(name: string, ratePerSecond: number, burst: number): RateLimitBucket {
    return { key: `${prefix}${name}`, scope: name, ratePerSecond, burst };
  }

  async function refusalOf(buckets: RateLimitBucket[]): Promise<PitbossError> {
    const error: unknown = await sut.consume(buckets).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (!(error instanceof PitbossError)) throw new Error(`expected a PitbossError, got ${String(error)}`);
    return error;
  }

  beforeAll(() => {
    redis = newClient();
    sut = new RateLimiter(redis);
  });

  beforeEach(() => {
    prefix = uniqueTestPrefix('ratelimit');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  it('allows the burst, then refuses with RATE_LIMITED, the scope and Retry-After seconds', async () => {
    const session = bucket('session', 1, 5);

    const remaining: number[] = [];
    for (let i = 0; i < 5; i += 1) remaining.push(...(await sut.consume([session])).remaining);
    const refusal = await refusalOf([session]);

    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    expect(refusal.code).toBe('RATE_LIMITED');
    expect(refusal.details).toEqual({ scope: 'session' });
    expect(refusal.retryAfterSeconds).toBe(1);
  });

  it('tells how long until the next token, by Redis time', async () => {
    const slow = bucket('slow', 0.25, 1);
    await sut.consume([slow]);

    const decision = await sut.tryConsume([slow]);
    const refusal = await refusalOf([slow]);

    expect(decision).toEqual({
      allowed: false,
      scope: 'slow',
      retryAfterMs: expect.any(Number),
      remaining: [0],
    });
    expect(decision.allowed || decision.retryAfterMs).toBeGreaterThan(3_000);
    expect(decision.allowed || decision.retryAfterMs).toBeLessThanOrEqual(4_000);
    expect(refusal.retryAfterSeconds).toBe(4);
  });

  it('refills over time', async () => {
    // 500 ms per token: far longer than the two round trips between draining and looking, even on a loaded
    // machine (at 100 ms a stall of the full suite's two cores refilled the bucket in between).
    const fast = bucket('fast', 2, 1);
    await sut.consume([fast]);
    const drained = await sut.tryConsume([fast]);

    await expectEventually(async () => expect((await sut.tryConsume([fast])).allowed).toBe(true), {
      timeoutMs: 3_000,
      intervalMs: 10,
    });
    expect(drained.allowed).toBe(false);
  });

  it('never refills beyond the burst', async () => {
    const capped = bucket('capped', 1_000, 2);
    const [seconds] = await redis.time();
    // Empty an hour ago: an uncapped refill would hold 3.6 million tokens now.
    await redis.hset(capped.key, 'tokens', '0', 'ts', String((Number(seconds) - 3_600) * 1_000_000));

    const decision = await sut.tryConsume([capped]);

    expect(decision).toEqual({ allowed: true, remaining: [1] });
  });

  it('charges no bucket when one of them is empty', async () => {
    const session = bucket('session', NO_REFILL, 5);
    const tenant = bucket('tenant', NO_REFILL, 1);
    await sut.consume([tenant]);

    const refusal = await refusalOf([session, tenant]);
    const sessionAlone = await sut.consume([session]);

    expect(refusal.details).toEqual({ scope: 'tenant' });
    expect(refusal.retryAfterSeconds).toBeGreaterThan(900);
    expect(sessionAlone.remaining).toEqual([4]);
  });

  it('charges every bucket when all of them have a token', async () => {
    const session = bucket('session', NO_REFILL, 5);
    const tenant = bucket('tenant', NO_REFILL, 10);

    await sut.consume([session, tenant]);
    const second = await sut.consume([session, tenant]);

    expect(second.remaining).toEqual([3, 8]);
  });

  it('allows exactly the burst out of 200 concurrent requests from several connections', async () => {
    const limiters = [sut, ...[1, 2, 3].map(() => new RateLimiter(newClient()))];
    const session = bucket('session', NO_REFILL, 50);
    const tenant = bucket('tenant', NO_REFILL, 1_000);

    const decisions = await Promise.all(
      Array.from({ length: 200 }, (_, i) => limiters[i % limiters.length]!.tryConsume([session, tenant])),
    );

    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(50);
    expect((await sut.tryConsume([tenant])).remaining).toEqual([949]);
  });

  it('stamps buckets with Redis time and lets idle ones expire once they would be full', async () => {
    const session = bucket('session', 10, 20);

    await sut.consume([session]);
    const [seconds] = await redis.time();
    const ts = Number(await redis.hget(session.key, 'ts'));
    const ttlMs = await redis.pttl(session.key);

    expect(Math.abs(ts / 1_000_000 - Number(seconds))).toBeLessThan(2);
    // One token short of full at 10 tokens/s: 100 ms, plus the one-second margin.
    expect(ttlMs).toBeGreaterThan(0);
    expect(ttlMs).toBeLessThanOrEqual(1_100);
  });

  it('limits a session and its tenant with the configured buckets', async () => {
    const config: RateLimitConfig = {
      tenant: { ratePerSecond: 1, burst: 3 },
      session: { ratePerSecond: 1, burst: 2 },
      keyPrefix: prefix,
    };
    const one = requestRateLimitBuckets(config, { tenantId: 'acme', sessionId: 's-1' });
    const other = requestRateLimitBuckets(config, { tenantId: 'acme', sessionId: 's-2' });

    await sut.consume(one);
    await sut.consume(one);
    const sessionRefusal = await refusalOf(one);
    await sut.consume(other);
    const tenantRefusal = await refusalOf(other);

    expect(sessionRefusal.details).toEqual({ scope: 'session' });
    expect(tenantRefusal.details).toEqual({ scope: 'tenant' });
  });

  it('refuses invalid buckets before calling Redis', async () => {
    await expect(sut.consume([])).rejects.toThrow(RangeError);
    await expect(sut.consume([bucket('a', 0, 1)])).rejects.toThrow(RangeError);
    await expect(sut.consume([bucket('a', 1, 0.5)])).rejects.toThrow(RangeError);
    await expect(sut.consume([bucket('a', 1, 1), bucket('a', 1, 1)])).rejects.toThrow(RangeError);
  });
});
