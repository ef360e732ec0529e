import { Redis } from 'ioredis';

export interface RedisClientOptions {
  readonly url: string;
  /** Shown by `CLIENT LIST`, so an operator can tell which service holds a connection. */
  readonly connectionName?: string;
  /**
   * Bound on one command's round trip, so a hung Redis fails the request instead of holding it; 1 s unless told.
   * Blocking commands (BLPOP, …) would need a client of their own without it.
   */
  readonly commandTimeoutMs?: number;
}

/** Backoff between reconnection attempts: 100 ms growing to 2 s, forever (the readiness probe reports the outage). */
export function redisRetryDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(attempt - 1, 0), 2_000);
}

export function createRedisClient({
  url,
  connectionName,
  commandTimeoutMs = 1_000,
}: RedisClientOptions): Redis {
  return new Redis(url, {
    // Connecting at boot surfaces a wrong URL in the first readiness probe rather than on the first request.
    lazyConnect: false,
    connectionName,
    connectTimeout: 2_000,
    commandTimeout: commandTimeoutMs,
    retryStrategy: redisRetryDelay,
    // Commands issued while disconnected fail after two reconnection attempts (and within commandTimeout anyway)
    // instead of queueing for as long as the outage lasts.
    maxRetriesPerRequest: 2,
    // ioredis arms this (referenced) timer even when the socket is already gone, which held a shutting-down
    // process for the 2 s default.
    disconnectTimeout: 500,
  });
}
