import { redisRetryDelay } from './redis-client.factory';

describe(redisRetryDelay.name, () => {
  it('backs off from 100 ms and caps at 2 s', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(redisRetryDelay)).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });
});
