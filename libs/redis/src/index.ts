export * from './redis-client.factory';
export * from './redis-client.token';
export * from './redis.module';
export * from './velocity/grant-velocity';
