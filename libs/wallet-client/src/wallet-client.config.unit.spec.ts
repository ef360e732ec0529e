import { ConfigError } from '@pitboss/platform-config';

import { walletClientConfig } from './wallet-client.config';

describe(walletClientConfig.name, () => {
  it('has the documented defaults', () => {
    expect(walletClientConfig({})).toEqual({
      baseUrl: 'http://127.0.0.1:4000',
      timeoutMs: 2_000,
      breakerFailurePercent: 50,
      breakerWindowMs: 10_000,
      breakerMinCalls: 20,
      breakerCooldownMs: 5_000,
      maxConnections: 64,
    });
  });

  it('refuses the retired consecutive-failures setting instead of ignoring it', () => {
    expect(() => walletClientConfig({ WALLET_BREAKER_FAILURES: '5' })).toThrow(ConfigError);
  });

  it.each([
    ['WALLET_BREAKER_FAILURE_PERCENT', '0'],
    ['WALLET_BREAKER_FAILURE_PERCENT', '100'],
    ['WALLET_BREAKER_WINDOW_MS', '99'],
    ['WALLET_BREAKER_MIN_CALLS', '0'],
    ['WALLET_BREAKER_COOLDOWN_MS', '0'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => walletClientConfig({ [name]: value })).toThrow(ConfigError);
  });
});
