import { Module } from '@nestjs/common';
import { type Pool } from 'pg';

import { AuthModule } from '@pitboss/auth';
import { DATABASE_POOL, EventStoreModule, PostgresEventStore } from '@pitboss/event-store';
import {
  AuditController,
  ChangeRequestsModule,
  PostgresAuditJournal,
  TenantRegions,
} from '@pitboss/governance';
import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';

import { ContributionSchemasController } from './http/contribution-schemas.controller';
import { GrantWageringController } from './http/grant-wagering.controller';
import { WageringQueries } from './http/wagering-queries';
import { wageringMigrations } from './migrations/wagering-migrations';
import { WageringEventsConsumer } from './progress/wagering-events.consumer';
import { WageringEventsHandler } from './progress/wagering-events.handler';
import { WageringMetrics } from './progress/wagering.metrics';
import { WageringService } from './progress/wagering.service';
import { WageringStreamsRepository } from './progress/wagering-streams.repository';
import { ContributionSchemaKind } from './schemas/contribution-schema.kind';
import { ContributionSchemasRepository } from './schemas/contribution-schemas.repository';
import { type WageringProgressConfig, wageringProgressConfig } from './wagering-progress.config';
import { WAGERING_CONFIG } from './wagering-progress.tokens';

const serviceName = 'wagering-progress';

/** Four-eyes routes (`/v1/change-requests…`) with one kind: `contribution_schema`. */
const wageringChangeRequests = ChangeRequestsModule.forRoot({
  inject: [DATABASE_POOL, PostgresEventStore],
  useFactory: (pool: Pool, store: PostgresEventStore) => {
    const config = wageringProgressConfig();
    return {
      schema: config.schema,
      ttlMs: config.changeRequestTtlMs,
      kinds: [new ContributionSchemaKind(new ContributionSchemasRepository(pool, store, config))],
      tenantRegions: TenantRegions.parse(config.region, config.tenantRegions),
    };
  },
});

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName }),
    EventStoreModule.forRoot({ serviceName, migrations: wageringMigrations }),
    MessagingModule.forRoot({ serviceName }),
    AuthModule.forRoot(),
    wageringChangeRequests,
  ],
  // HTTP controllers, and the @EventPattern handlers served by the Kafka transport main.ts connects.
  controllers: [
    ContributionSchemasController,
    GrantWageringController,
    AuditController,
    WageringEventsConsumer,
  ],
  providers: [
    { provide: WAGERING_CONFIG, useFactory: () => wageringProgressConfig() },
    {
      provide: TenantRegions,
      inject: [WAGERING_CONFIG],
      useFactory: (config: WageringProgressConfig) =>
        TenantRegions.parse(config.region, config.tenantRegions),
    },
    {
      provide: PostgresAuditJournal,
      inject: [WAGERING_CONFIG, PostgresEventStore],
      useFactory: (config: WageringProgressConfig, store: PostgresEventStore) =>
        new PostgresAuditJournal(config.schema, store),
    },
    ContributionSchemasRepository,
    WageringStreamsRepository,
    WageringService,
    WageringEventsHandler,
    WageringMetrics,
    WageringQueries,
  ],
})
export class WageringProgressModule {}
