import { type Provider } from '@nestjs/common';

import { PostgresEventStore } from '@pitboss/event-store';
import { PostgresAuditJournal, PostgresVersionedConfig, TenantRegions } from '@pitboss/governance';

import { AuditCheckpoints } from './audit-checkpoints.service';
import { GameConfigMetrics } from './game-config-metrics';
import { GameConfigs } from './game-configs.service';
import { GOVERNANCE_CONFIG, governanceConfig, type GovernanceConfig } from './governance.config';

/** The audit journal, versioned game config and the tenant-region binding (four-eyes: `gatewayChangeRequests`). */
export const governanceProviders: Provider[] = [
  { provide: GOVERNANCE_CONFIG, useFactory: () => governanceConfig() },
  {
    provide: TenantRegions,
    inject: [GOVERNANCE_CONFIG],
    useFactory: (config: GovernanceConfig) => TenantRegions.parse(config.region, config.tenantRegions),
  },
  {
    provide: PostgresAuditJournal,
    inject: [GOVERNANCE_CONFIG, PostgresEventStore],
    useFactory: (config: GovernanceConfig, store: PostgresEventStore) =>
      new PostgresAuditJournal(config.schema, store),
  },
  {
    provide: PostgresVersionedConfig,
    inject: [GOVERNANCE_CONFIG],
    useFactory: (config: GovernanceConfig) => new PostgresVersionedConfig(config.schema),
  },
  GameConfigs,
  GameConfigMetrics,
  AuditCheckpoints,
];
