import { Registry } from 'prom-client';

import { type GameConfig } from '@pitboss/betting-domain';
import { type ConfigVersion } from '@pitboss/governance';

import { GameConfigMetrics } from './game-config-metrics';
import { type GameConfigs } from './game-configs.service';

const configOf = (gameId: string, math: GameConfig['math']): ConfigVersion<GameConfig> => ({
  seq: 1,
  tenantId: 'tenant-a',
  namespace: 'game_config',
  key: `${gameId}:eu-west-1`,
  version: 1,
  document: {
    game_id: gameId,
    region: 'eu-west-1',
    stake_limits: [],
    denominations: [],
    geo_bans: [],
    features: {},
    math,
  },
  changeRequestId: null,
  createdAt: new Date(0),
});

describe(GameConfigMetrics.name, () => {
  it('exports the certified RTP and its corridor of every game with a math section, as ratios', async () => {
    const registry = new Registry();
    let configs = [
      configOf('starburst', {
        version: 'starburst-1.2',
        certified_rtp_bp: 9610,
        rtp_corridor_bp: { min: 9400, max: 9750 },
        certificate: 'GLI-1',
      }),
      configOf('no-math', null),
    ];
    new GameConfigMetrics(registry, { all: () => configs } as unknown as GameConfigs);

    const text = await registry.metrics();
    const labels = 'tenant="tenant-a",region="eu-west-1",game="starburst",math_version="starburst-1.2"';
    expect(text).toContain(`game_certified_rtp_ratio{${labels}} 0.961`);
    expect(text).toContain(`game_rtp_corridor_min_ratio{${labels}} 0.94`);
    expect(text).toContain(`game_rtp_corridor_max_ratio{${labels}} 0.975`);
    expect(text).not.toContain('no-math');

    configs = [];
    expect(await registry.metrics()).not.toContain('starburst');
  });
});
