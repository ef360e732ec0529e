import { ConfigError } from '@pitboss/platform-config';

import { purgeConfig } from './purge.config';

describe('purgeConfig', () => {
  it('purges every minute, 1,000 rows per statement, sessions a day after their expiry by default', () => {
    expect(purgeConfig({})).toEqual({ intervalMs: 60_000, batchSize: 1_000, sessionGraceMs: 86_400_000 });
  });

  it.each([
    ['PURGE_INTERVAL_MS', '0'],
    ['PURGE_BATCH_SIZE', '0'],
    ['SESSION_PURGE_GRACE_MS', '-1'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => purgeConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => purgeConfig({ [name]: value })).toThrow(name);
  });
});
