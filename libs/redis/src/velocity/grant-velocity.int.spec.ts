import { randomBytes } from 'node:crypto';

import { type Redis } from 'ioredis';

import { infrastructureConfig } from '@pitboss/platform-config';

import { createRedisClient } from '../redis-client.factory';
import { GrantVelocity, type GrantVelocityRequest } from './grant-velocity';

describe(GrantVelocity.name, () => {
  let redis: Redis;
  let sut: GrantVelocity;
  const tenantId = `t${randomBytes(4).toString('hex')}`;
  const now = new Date();

  beforeAll(() => {
    redis = createRedisClient({ url: infrastructureConfig().redisUrl, commandTimeoutMs: 5_000 });
    sut = new GrantVelocity(redis);
  });

  afterAll(async () => {
    const keys = await redis.keys(`velocity:{${tenantId}}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const request = (overrides: Partial<GrantVelocityRequest>): GrantVelocityRequest => ({
    tenantId,
    playerId: 'p',
    offerId: 'o',
    grantId: randomBytes(6).toString('hex'),
    amountMinor: 100,
    playerLimit: 30,
    windowMs: 86_400_000,
    budgetMinor: null,
    maxGrants: null,
    offerTtlMs: 86_400_000,
    now,
    ...overrides,
  });

  it('grants exactly 50 of 200 simultaneous requests against a budget for 50', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        sut.reserve(request({ playerId: `p${index}`, offerId: 'budget', budgetMinor: 5_000 })),
      ),
    );
    expect(answers.filter((answer) => answer.allowed)).toHaveLength(50);
    expect(
      answers.filter((answer) => !answer.allowed && answer.reason === 'OFFER_BUDGET_EXHAUSTED'),
    ).toHaveLength(150);
  });

  it('caps grants per player in the window, counts a repeated grant once, and gives a release back', async () => {
    const first = request({ playerId: 'fast', offerId: 'v', playerLimit: 3 });
    expect(await sut.reserve(first)).toEqual({ allowed: true, replay: false });
    expect(await sut.reserve(first)).toEqual({ allowed: true, replay: true });
    await sut.reserve(request({ playerId: 'fast', offerId: 'v', playerLimit: 3 }));
    await sut.reserve(request({ playerId: 'fast', offerId: 'v', playerLimit: 3 }));
    expect(await sut.reserve(request({ playerId: 'fast', offerId: 'v', playerLimit: 3 }))).toEqual({
      allowed: false,
      reason: 'VELOCITY_LIMIT',
      used: 3,
    });
    await sut.release(first);
    expect(await sut.reserve(request({ playerId: 'fast', offerId: 'v', playerLimit: 3 }))).toMatchObject({
      allowed: true,
    });
    // Older than the window: no longer counted.
    expect(
      await sut.reserve(
        request({
          playerId: 'fast',
          offerId: 'v',
          playerLimit: 3,
          now: new Date(now.getTime() + 86_400_001),
        }),
      ),
    ).toMatchObject({ allowed: true });
  });

  it('caps the offer at max grants', async () => {
    await sut.reserve(request({ playerId: 'a', offerId: 'max', maxGrants: 1 }));
    expect(await sut.reserve(request({ playerId: 'b', offerId: 'max', maxGrants: 1 }))).toMatchObject({
      allowed: false,
      reason: 'OFFER_MAX_GRANTS',
    });
    expect(await redis.pttl(`velocity:{${tenantId}}:offer:max`)).toBeGreaterThan(0);
  });

  it('counts a grant that does not charge the offer in the player window only, and releases it', async () => {
    const exhausted = { offerId: 'spent', budgetMinor: 100, maxGrants: 1 };
    await sut.reserve(request({ playerId: 'c', ...exhausted }));
    const win = request({ playerId: 'd', ...exhausted, playerLimit: 1, chargeOffer: false });

    expect(await sut.reserve(win)).toEqual({ allowed: true, replay: false });
    expect(await redis.hget(`velocity:{${tenantId}}:offer:spent`, 'grants')).toBe('1');
    expect(await sut.reserve(request({ playerId: 'd', chargeOffer: false, playerLimit: 1 }))).toMatchObject({
      allowed: false,
      reason: 'VELOCITY_LIMIT',
    });
    await sut.release(win);
    expect(await redis.zcard(`velocity:{${tenantId}}:player:d:grants`)).toBe(0);
    expect(await redis.hget(`velocity:{${tenantId}}:offer:spent`, 'spent')).toBe('100');
  });

  it('takes exactly the conversions per player allowed in 24 h under concurrency, a replay and a release included', async () => {
    const conversion = (grantId: string, limit: number | null = 5, at = now) =>
      sut.reserveConversion({
        tenantId,
        playerId: 'converter',
        grantId,
        limit,
        windowMs: 86_400_000,
        now: at,
      });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => conversion(`g${index}`)));
    expect(answers.filter((answer) => answer.allowed)).toHaveLength(5);
    expect(answers.filter((answer) => !answer.allowed)).toEqual(
      Array.from({ length: 35 }, () => ({ allowed: false, reason: 'CONVERSION_VELOCITY_LIMIT', used: 5 })),
    );
    const taken = answers.findIndex((answer) => answer.allowed);
    expect(await conversion(`g${taken}`)).toEqual({ allowed: true, replay: true });
    // An approved conversion is recorded past the limit; a released one gives its slot back.
    expect(await conversion('approved', null)).toEqual({ allowed: true, replay: false });
    await sut.releaseConversion({ tenantId, playerId: 'converter', grantId: 'approved' });
    await sut.releaseConversion({ tenantId, playerId: 'converter', grantId: `g${taken}` });
    expect(await conversion('next')).toEqual({ allowed: true, replay: false });
    const key = `velocity:{${tenantId}}:player:converter:conversions`;
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(86_400_000);
    // Past the window the old ones no longer count.
    expect(await conversion('tomorrow', 5, new Date(now.getTime() + 86_400_001))).toMatchObject({
      allowed: true,
    });
  });
});
