import { type DynamicModule, type FactoryProvider, Module, type ModuleMetadata } from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL, PostgresEventStore } from '@pitboss/event-store';

import { PostgresAuditJournal } from '../audit-journal';
import { ChangeRequests } from '../change-requests';
import { CHANGE_REQUESTS_OPTIONS, type ChangeRequestsConfig } from './change-requests.config';
import { ChangeRequestsController } from './change-requests.controller';

export interface ChangeRequestsModuleOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  /** The service's schema, `CHANGE_REQUEST_TTL_MS` and the kinds it accepts (each with its scopes and rule). */
  readonly useFactory: (...args: never[]) => ChangeRequestsConfig | Promise<ChangeRequestsConfig>;
}

/**
 * The four-eyes routes (`/v1/change-requests…`, `ChangeRequestsController`) and `ChangeRequests` for one service:
 * its schema's `change_requests` and audit journal (GovernanceTables migration), the kinds it registers. Needs
 * `EventStoreModule` (the pool and the event store, global) and `AuthModule` (bearer tokens) in the app; an app
 * with `SecurityModule` serves these routes unsigned (`@PublicRoute()`): they take bearer tokens instead.
 */
@Module({})
export class ChangeRequestsModule {
  static forRoot(options: ChangeRequestsModuleOptions): DynamicModule {
    return {
      module: ChangeRequestsModule,
      imports: options.imports ?? [],
      controllers: [ChangeRequestsController],
      providers: [
        {
          provide: CHANGE_REQUESTS_OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory as (...args: unknown[]) => ChangeRequestsConfig,
        },
        {
          provide: ChangeRequests,
          inject: [DATABASE_POOL, PostgresEventStore, CHANGE_REQUESTS_OPTIONS],
          useFactory: (pool: Pool, store: PostgresEventStore, config: ChangeRequestsConfig) =>
            new ChangeRequests(pool, new PostgresAuditJournal(config.schema, store), config),
        },
      ],
      exports: [ChangeRequests],
    };
  }
}
