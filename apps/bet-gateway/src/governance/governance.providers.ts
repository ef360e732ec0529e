import { type Provider } from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL, PostgresEventStore } from '@pitboss/event-store';
import {
  ChangeRequests,
  PostgresAuditJournal,
  PostgresVersionedConfig,
  TenantRegions,
} from '@pitboss/governance';

import { AuditCheckpoints } from './audit-checkpoints.service';
import { GameConfigKind } from './game-config.kind';
import { GameConfigMetrics } from './game-config-metrics';
import { GameConfigs } from './game-configs.service';
import { GOVERNANCE_CONFIG, governanceConfig, type GovernanceConfig } from './governance.config';

/** Four-eyes change requests, the audit journal, versioned game config and the tenant-region binding. */
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
  {
    provide: ChangeRequests,
    inject: [DATABASE_POOL, PostgresAuditJournal, PostgresVersionedConfig, GOVERNANCE_CONFIG],
    useFactory: (
      pool: Pool,
      audit: PostgresAuditJournal,
      configs: PostgresVersionedConfig,
      config: GovernanceConfig,
    ) =>
      new ChangeRequests(pool, audit, {
        schema: config.schema,
        ttlMs: config.changeRequestTtlMs,
        kinds: [new GameConfigKind(configs)],
      }),
  },
  GameConfigs,
  GameConfigMetrics,
  AuditCheckpoints,
];
