import { ChangeRequestsModule, PostgresVersionedConfig, TenantRegions } from '@pitboss/governance';

import { GameConfigKind } from './game-config.kind';
import { governanceConfig } from './governance.config';

/** bet-gateway's four-eyes routes: one kind, `game_config` (config:write proposes, config:approve approves). */
export const gatewayChangeRequests = ChangeRequestsModule.forRoot({
  useFactory: () => {
    const config = governanceConfig();
    return {
      schema: config.schema,
      ttlMs: config.changeRequestTtlMs,
      kinds: [new GameConfigKind(new PostgresVersionedConfig(config.schema))],
      tenantRegions: TenantRegions.parse(config.region, config.tenantRegions),
    };
  },
});
