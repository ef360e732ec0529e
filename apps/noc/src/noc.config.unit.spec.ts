import { ConfigError } from '@pitboss/platform-config';

import { DEFAULT_SCRAPE_TARGETS, nocConfig } from './noc.config';

describe(nocConfig.name, () => {
  const sut = nocConfig;

  it('defaults to the local fleet on its default ports', () => {
    const config = sut({});
    expect(config.scrapeTargets).toHaveLength(DEFAULT_SCRAPE_TARGETS.length);
    expect(config.scrapeTargets[0]).toEqual({
      name: 'bet-gateway',
      url: 'http://127.0.0.1:3000',
      metricsUrl: 'http://127.0.0.1:3000/metrics',
    });
    expect(config).toMatchObject({
      scrapeIntervalMs: 2_000,
      windowMs: 600_000,
      bucketMs: 5_000,
      consumerGroup: 'noc',
    });
  });

  it('reads name=url targets, dropping a trailing slash', () => {
    expect(
      sut({ NOC_SCRAPE_TARGETS: 'gw=http://10.0.0.1:3000/, sw=https://sw.internal' }).scrapeTargets,
    ).toEqual([
      { name: 'gw', url: 'http://10.0.0.1:3000', metricsUrl: 'http://10.0.0.1:3000/metrics' },
      { name: 'sw', url: 'https://sw.internal', metricsUrl: 'https://sw.internal/metrics' },
    ]);
  });

  it('takes a URL with a path or query as it is (Prometheus federation in a cluster)', () => {
    const federate = 'http://prometheus:9090/federate?match[]=%7Bapp%3D%22bet-gateway%22%7D';
    expect(sut({ NOC_SCRAPE_TARGETS: `bet-gateway=${federate}` }).scrapeTargets).toEqual([
      { name: 'bet-gateway', url: federate, metricsUrl: federate },
    ]);
  });

  it.each([
    ['a target without a name', { NOC_SCRAPE_TARGETS: 'http://x:1' }],
    ['a target without a URL', { NOC_SCRAPE_TARGETS: 'gw=' }],
    ['a name given twice', { NOC_SCRAPE_TARGETS: 'gw=http://a:1,gw=http://b:1' }],
    ['a window shorter than a bucket', { NOC_WINDOW_MS: '1000', NOC_BUCKET_MS: '5000' }],
    ['a zero interval', { NOC_SCRAPE_INTERVAL_MS: '0' }],
  ])('refuses %s', (_case, env) => {
    expect(() => sut(env)).toThrow(ConfigError);
  });
});
