import { ConfigError } from '@pitboss/platform-config';

import { checkSettleWorkerSettings } from './settle-worker-settings.check';

describe('checkSettleWorkerSettings', () => {
  it('accepts the defaults', () => {
    expect(() => checkSettleWorkerSettings({})).not.toThrow();
  });

  it.each([
    [{ SETTLE_LEASE_MS: '2000' }, 'SETTLE_LEASE_MS (2000) must be greater than WALLET_TIMEOUT_MS (2000)'],
    [
      { WALLET_TIMEOUT_MS: '20000' },
      'SETTLE_LEASE_MS (15000) must be greater than WALLET_TIMEOUT_MS (20000)',
    ],
    [
      { SETTLE_CREDIT_BUDGET_MS: '1000' },
      'SETTLE_CREDIT_BUDGET_MS (1000) must be greater than WALLET_TIMEOUT_MS (2000)',
    ],
    [
      { SETTLE_RETRY_BASE_MS: '1000', SETTLE_RETRY_MAX_MS: '999' },
      'SETTLE_RETRY_MAX_MS (999) must be at least SETTLE_RETRY_BASE_MS (1000)',
    ],
  ])('refuses %j', (env, reason) => {
    expect(() => checkSettleWorkerSettings(env)).toThrow(ConfigError);
    expect(() => checkSettleWorkerSettings(env)).toThrow(reason);
  });

  it('accepts each pair once the larger one is larger (retry ceiling equal to its base)', () => {
    expect(() =>
      checkSettleWorkerSettings({
        WALLET_TIMEOUT_MS: '5000',
        SETTLE_LEASE_MS: '5001',
        SETTLE_CREDIT_BUDGET_MS: '5001',
        SETTLE_RETRY_BASE_MS: '700',
        SETTLE_RETRY_MAX_MS: '700',
      }),
    ).not.toThrow();
  });
});
