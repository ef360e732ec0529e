import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { type Pool } from 'pg';

import { postgresCheck, ReadinessRegistry } from '@pitboss/observability';
import { envString, infrastructureConfig, serviceSchema } from '@pitboss/platform-config';

import { createPool } from './database';
import { DATABASE_POOL } from './database-pool.token';
import { serviceMigrations } from './migrations/migrate-service-schema';
import { runMigrations, type MigrationClass } from './migrations/run-migrations';
import { PostgresEventStore } from './postgres-event-store';

export interface EventStoreModuleOptions {
  readonly serviceName: string;
  /** The service's migrations beyond the event store's own (idempotency records, read models…). */
  readonly migrations?: readonly MigrationClass[];
}

/**
 * The service's Postgres pool (in its own schema) and event store. Migrations run at start unless
 * `DATABASE_MIGRATE_ON_START=false` (deployments then run the service's migrate job, `src/migrate.ts`, before rollout: the same list).
 */
@Module({})
export class EventStoreModule implements OnModuleInit, OnApplicationShutdown {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    const config = infrastructureConfig();
    const schema = serviceSchema(options.serviceName);
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        {
          provide: DATABASE_POOL,
          useFactory: async () => {
            if (envString('DATABASE_MIGRATE_ON_START', 'true') === 'true') {
              await runMigrations({
                databaseUrl: config.databaseUrl,
                schema,
                migrations: serviceMigrations(options.migrations),
              });
            }
            return createPool({
              databaseUrl: config.databaseUrl,
              schema,
              applicationName: options.serviceName,
            });
          },
        },
        { provide: PostgresEventStore, useValue: new PostgresEventStore({ region: config.region }) },
      ],
      exports: [DATABASE_POOL, PostgresEventStore],
    };
  }

  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('postgres', postgresCheck(this.pool));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
