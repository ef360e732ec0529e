/** Nest injection token of the service's `pg.Pool` (provided by `EventStoreModule`). */
export const DATABASE_POOL = Symbol('DATABASE_POOL');
