import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';

import { type IdempotencyOptions } from '../store/idempotency-options';
import { PostgresIdempotencyStore } from '../store/postgres-idempotency.store';
import { IdempotencyInterceptor } from './idempotency.interceptor';

export interface IdempotencyModuleOptions {
  /**
   * Modules that export the `DATABASE_POOL` provider; leave empty when the application provides it globally.
   * The records live in that pool's schema.
   */
  readonly imports?: ModuleMetadata['imports'];
  /** Overrides of the environment settings (`idempotencyOptionsFromEnv`). */
  readonly store?: Partial<IdempotencyOptions>;
}

/** Provides `PostgresIdempotencyStore` on the application's `DATABASE_POOL`, and the `@Idempotent` interceptor. */
@Module({})
export class IdempotencyModule {
  static forRoot(options: IdempotencyModuleOptions = {}): DynamicModule {
    return {
      module: IdempotencyModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: PostgresIdempotencyStore,
          inject: [DATABASE_POOL],
          useFactory: (pool: Pool) => new PostgresIdempotencyStore(pool, options.store),
        },
        IdempotencyInterceptor,
      ],
      exports: [PostgresIdempotencyStore, IdempotencyInterceptor],
    };
  }
}
