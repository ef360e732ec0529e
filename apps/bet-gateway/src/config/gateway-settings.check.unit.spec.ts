import { ConfigError } from '@pitboss/platform-config';

import { checkGatewaySettings } from './gateway-settings.check';

describe('checkGatewaySettings', () => {
  it('accepts the defaults', () => {
    expect(() => checkGatewaySettings({})).not.toThrow();
  });

  it.each([
    [
      { DEBIT_RECOVERY_AFTER_MS: '2000' },
      'DEBIT_RECOVERY_AFTER_MS (2000) must be greater than WALLET_TIMEOUT_MS (2000)',
    ],
    [
      { WALLET_TIMEOUT_MS: '70000' },
      'DEBIT_RECOVERY_AFTER_MS (60000) must be greater than WALLET_TIMEOUT_MS (70000)',
    ],
    [
      { IDEMPOTENCY_LEASE_MS: '1500' },
      'IDEMPOTENCY_LEASE_MS (1500) must be greater than WALLET_TIMEOUT_MS (2000)',
    ],
    [
      { IDEMPOTENCY_WAIT_MS: '30000' },
      'IDEMPOTENCY_LEASE_MS (30000) must be greater than IDEMPOTENCY_WAIT_MS (30000)',
    ],
  ])('refuses %j', (env, reason) => {
    expect(() => checkGatewaySettings(env)).toThrow(ConfigError);
    expect(() => checkGatewaySettings(env)).toThrow(reason);
  });

  it('accepts each pair once the larger one is larger', () => {
    expect(() =>
      checkGatewaySettings({
        WALLET_TIMEOUT_MS: '5000',
        DEBIT_RECOVERY_AFTER_MS: '5001',
        IDEMPOTENCY_LEASE_MS: '5001',
        IDEMPOTENCY_WAIT_MS: '5000',
      }),
    ).not.toThrow();
  });

  it("reports a setting that does not parse, as the service's own config would", () => {
    expect(() => checkGatewaySettings({ PURGE_INTERVAL_MS: 'soon' })).toThrow(
      'PURGE_INTERVAL_MS must be an integer',
    );
  });
});
