export * from './database-pool.token';
export * from './database';
export * from './migrations/run-migrations';
export * from './migrations/event-store-migrations';
