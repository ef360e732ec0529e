import { ConfigError } from '@pitboss/platform-config';

import { idempotencyOptionsFromEnv } from './idempotency-options';

describe(idempotencyOptionsFromEnv.name, () => {
  const sut = idempotencyOptionsFromEnv;
  const DAY_MS = 86_400_000;

  it('defaults to 30 days of retention, a 30 s lease and a 2 s wait', () => {
    expect(sut({})).toEqual({ retentionMs: 30 * DAY_MS, leaseMs: 30_000, waitMs: 2_000, pollIntervalMs: 50 });
  });

  it('reads the environment', () => {
    const options = sut({
      IDEMPOTENCY_RETENTION_DAYS: '7',
      IDEMPOTENCY_LEASE_MS: '5000',
      IDEMPOTENCY_WAIT_MS: '0',
    });

    expect(options).toMatchObject({ retentionMs: 7 * DAY_MS, leaseMs: 5_000, waitMs: 0 });
  });

  it.each([
    { IDEMPOTENCY_RETENTION_DAYS: '0' },
    { IDEMPOTENCY_LEASE_MS: '0' },
    { IDEMPOTENCY_WAIT_MS: '-1' },
    { IDEMPOTENCY_WAIT_MS: 'soon' },
  ])('refuses %j', (env) => {
    expect(() => sut(env)).toThrow(ConfigError);
  });
});
