/** Nest injection token of the service's ioredis client (provided by `RedisModule`). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
