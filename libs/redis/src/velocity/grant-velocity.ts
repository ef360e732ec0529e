import { createHash } from 'node:crypto';

import { type Redis } from 'ioredis';

/**
 * Grant velocity in one atomic Lua script, so concurrent requests on any number of replicas cannot overshoot:
 * grants per player in a rolling window (a sorted set of grant ids by time, trimmed and expired by the window) and
 * an offer's budget in minor units and its grant count (a hash, with a TTL). A reservation names its grant, so
 * a retried reservation of the same grant is a replay, and `release` gives back exactly what it took (the player's
 * slot only, for a reservation that did not charge the offer).
 *
 * Both keys carry the tenant as a hash tag, so a Redis cluster keeps them in one slot (a script's keys must be).
 */
const RESERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local playerLimit = tonumber(ARGV[3])
local amount = tonumber(ARGV[4])
local budget = tonumber(ARGV[5])
local maxGrants = tonumber(ARGV[6])
local member = ARGV[7]
local offerTtl = tonumber(ARGV[8])
local chargeOffer = ARGV[9] ~= '0'
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZSCORE', KEYS[1], member) then return {1, 'REPLAY', 0} end
local count = redis.call('ZCARD', KEYS[1])
if playerLimit >= 0 and count >= playerLimit then return {0, 'VELOCITY_LIMIT', count} end
if not chargeOffer then
  redis.call('ZADD', KEYS[1], now, member)
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 'OK', 0}
end
local spent = tonumber(redis.call('HGET', KEYS[2], 'spent') or '0')
local grants = tonumber(redis.call('HGET', KEYS[2], 'grants') or '0')
if maxGrants >= 0 and grants >= maxGrants then return {0, 'OFFER_MAX_GRANTS', grants} end
if budget >= 0 and spent + amount > budget then return {0, 'OFFER_BUDGET_EXHAUSTED', spent} end
redis.call('ZADD', KEYS[1], now, member)
redis.call('PEXPIRE', KEYS[1], window)
redis.call('HINCRBY', KEYS[2], 'spent', amount)
redis.call('HINCRBY', KEYS[2], 'grants', 1)
redis.call('HSET', KEYS[2], 'r:' .. member, amount)
redis.call('PEXPIRE', KEYS[2], offerTtl)
return {1, 'OK', 0}
`;

const RELEASE_SCRIPT = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
local amount = redis.call('HGET', KEYS[2], 'r:' .. ARGV[1])
if amount then
  redis.call('HINCRBY', KEYS[2], 'spent', -tonumber(amount))
  redis.call('HINCRBY', KEYS[2], 'grants', -1)
  redis.call('HDEL', KEYS[2], 'r:' .. ARGV[1])
end
return 1
`;

/**
 * Conversions per player in a rolling window (a sorted set of grant ids by time, trimmed and expired with the
 * window): checks and takes one slot atomically; a limit of -1 records without checking (an approved conversion
 * that was held at the limit still counts).
 */
const CONVERSION_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local member = ARGV[4]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZSCORE', KEYS[1], member) then return {1, 'REPLAY', 0} end
local count = redis.call('ZCARD', KEYS[1])
if limit >= 0 and count >= limit then return {0, 'CONVERSION_VELOCITY_LIMIT', count} end
redis.call('ZADD', KEYS[1], now, member)
redis.call('PEXPIRE', KEYS[1], window)
return {1, 'OK', 0}
`;

const sha = (script: string) => createHash('sha1').update(script).digest('hex');
const RESERVE_SHA = sha(RESERVE_SCRIPT);
const RELEASE_SHA = sha(RELEASE_SCRIPT);
const CONVERSION_SHA = sha(CONVERSION_SCRIPT);

export interface ConversionVelocityRequest {
  readonly tenantId: string;
  readonly playerId: string;
  /** The converting grant: a retried reservation of the same grant is a replay. */
  readonly grantId: string;
  /** Conversions per player in the rolling window; null: record without a limit. */
  readonly limit: number | null;
  readonly windowMs: number;
  readonly now: Date;
}

export type ConversionVelocityAnswer =
  | { readonly allowed: true; readonly replay: boolean }
  | { readonly allowed: false; readonly reason: 'CONVERSION_VELOCITY_LIMIT'; readonly used: number };

export interface GrantVelocityRequest {
  readonly tenantId: string;
  readonly playerId: string;
  readonly offerId: string;
  readonly grantId: string;
  readonly amountMinor: number;
  /** Grants per player in the rolling window; null: unlimited. */
  readonly playerLimit: number | null;
  readonly windowMs: number;
  /** The offer's budget in minor units and its max grants; null: unbounded. */
  readonly budgetMinor: number | null;
  readonly maxGrants: number | null;
  /** How long the offer's counters live after their last change (longer than the offer can run). */
  readonly offerTtlMs: number;
  /**
   * false: only the player's window counts the grant; the offer's budget and grant count are neither checked nor
   * charged (an entitlement's win, whose cost the entitlement already took from the offer). Default true.
   */
  readonly chargeOffer?: boolean;
  readonly now: Date;
}

export type GrantVelocityAnswer =
  | { readonly allowed: true; readonly replay: boolean }
  | {
      readonly allowed: false;
      readonly reason: 'VELOCITY_LIMIT' | 'OFFER_BUDGET_EXHAUSTED' | 'OFFER_MAX_GRANTS';
      /** The count or amount already used when refused. */
      readonly used: number;
    };

export class GrantVelocity {
  constructor(private readonly redis: Redis) {}

  async reserve(request: GrantVelocityRequest): Promise<GrantVelocityAnswer> {
    const reply = (await this.eval(RESERVE_SCRIPT, RESERVE_SHA, keysOf(request), [
      request.now.getTime(),
      request.windowMs,
      request.playerLimit ?? -1,
      request.amountMinor,
      request.budgetMinor ?? -1,
      request.maxGrants ?? -1,
      request.grantId,
      request.offerTtlMs,
      request.chargeOffer === false ? 0 : 1,
    ])) as [number, string, number];
    const [allowed, reason, used] = reply;
    if (allowed === 1) return { allowed: true, replay: reason === 'REPLAY' };
    return { allowed: false, reason: reason as 'VELOCITY_LIMIT', used };
  }

  /** Gives a reservation back (the grant was not made after all); a second release does nothing. */
  async release(
    request: Pick<GrantVelocityRequest, 'tenantId' | 'playerId' | 'offerId' | 'grantId'>,
  ): Promise<void> {
    await this.eval(RELEASE_SCRIPT, RELEASE_SHA, keysOf(request), [request.grantId]);
  }

  /** Takes one of the player's conversions in the window for the grant, or answers that they are used up. */
  async reserveConversion(request: ConversionVelocityRequest): Promise<ConversionVelocityAnswer> {
    const reply = (await this.eval(
      CONVERSION_SCRIPT,
      CONVERSION_SHA,
      [conversionsKey(request)],
      [request.now.getTime(), request.windowMs, request.limit ?? -1, request.grantId],
    )) as [number, string, number];
    const [allowed, reason, used] = reply;
    if (allowed === 1) return { allowed: true, replay: reason === 'REPLAY' };
    return { allowed: false, reason: 'CONVERSION_VELOCITY_LIMIT', used };
  }

  /** Gives a conversion back (it was held after all); a second release does nothing. */
  async releaseConversion(
    request: Pick<ConversionVelocityRequest, 'tenantId' | 'playerId' | 'grantId'>,
  ): Promise<void> {
    await this.redis.zrem(conversionsKey(request), request.grantId);
  }

  private async eval(
    script: string,
    digest: string,
    keys: string[],
    args: (string | number)[],
  ): Promise<unknown> {
    try {
      return await this.redis.evalsha(digest, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return this.redis.eval(script, keys.length, ...keys, ...args);
    }
  }
}

function keysOf(request: Pick<GrantVelocityRequest, 'tenantId' | 'playerId' | 'offerId'>): string[] {
  const tag = `{${request.tenantId}}`;
  return [`velocity:${tag}:player:${request.playerId}:grants`, `velocity:${tag}:offer:${request.offerId}`];
}

function conversionsKey(request: Pick<ConversionVelocityRequest, 'tenantId' | 'playerId'>): string {
  return `velocity:{${request.tenantId}}:player:${request.playerId}:conversions`;
}
