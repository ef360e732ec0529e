import { ConfigError } from '@pitboss/platform-config';

import { rateLimitConfigFromEnv, requestRateLimitBuckets } from './rate-limit-config';

describe(rateLimitConfigFromEnv.name, () => {
  it('has documented defaults', () => {
    expect(rateLimitConfigFromEnv({})).toEqual({
      tenant: { ratePerSecond: 2_000, burst: 4_000 },
      session: { ratePerSecond: 50, burst: 100 },
      keyPrefix: 'ratelimit:',
    });
  });

  it('reads every variable', () => {
    const sut = rateLimitConfigFromEnv({
      RATE_LIMIT_TENANT_PER_SECOND: '10',
      RATE_LIMIT_TENANT_BURST: '20',
      RATE_LIMIT_SESSION_PER_SECOND: '1',
      RATE_LIMIT_SESSION_BURST: '2',
      RATE_LIMIT_KEY_PREFIX: 'test-rl:',
    });

    expect(sut).toEqual({
      tenant: { ratePerSecond: 10, burst: 20 },
      session: { ratePerSecond: 1, burst: 2 },
      keyPrefix: 'test-rl:',
    });
  });

  it.each(['0', '-1', '1.5', 'many'])('refuses %s as a rate', (value) => {
    expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_SESSION_PER_SECOND: value })).toThrow(ConfigError);
  });
});

describe(requestRateLimitBuckets.name, () => {
  const config = rateLimitConfigFromEnv({});

  it('gives a session bucket and a tenant bucket sharing the tenant as hash tag', () => {
    expect(requestRateLimitBuckets(config, { tenantId: 'acme', sessionId: 's-1' })).toEqual([
      { key: 'ratelimit:{acme}:session:s-1', scope: 'session', ratePerSecond: 50, burst: 100 },
      { key: 'ratelimit:{acme}:tenant', scope: 'tenant', ratePerSecond: 2_000, burst: 4_000 },
    ]);
  });

  it('gives only the tenant bucket without a session', () => {
    expect(requestRateLimitBuckets(config, { tenantId: 'acme' }).map((bucket) => bucket.scope)).toEqual([
      'tenant',
    ]);
  });

  it('refuses a tenant id that would break the hash tag', () => {
    expect(() => requestRateLimitBuckets(config, { tenantId: 'a}b' })).toThrow(RangeError);
  });
});
