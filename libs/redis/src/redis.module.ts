import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { type Redis } from 'ioredis';

import { ReadinessRegistry, redisCheck } from '@pitboss/observability';
import { infrastructureConfig } from '@pitboss/platform-config';

import { createRedisClient, type RedisClientOptions } from './redis-client.factory';
import { REDIS_CLIENT } from './redis-client.token';

export type RedisModuleOptions = Partial<RedisClientOptions>;

const QUIT_TIMEOUT_MS = 2_000;

/**
 * The service's Redis client under `REDIS_CLIENT` (global), with a `redis` readiness check. Needs
 * `ObservabilityModule` in the same app.
 */
@Module({})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisModule.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  /** `url` defaults to `REDIS_URL` (see `infrastructureConfig`). */
  static forRoot(options: RedisModuleOptions = {}): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        {
          provide: REDIS_CLIENT,
          useFactory: () =>
            createRedisClient({ ...options, url: options.url ?? infrastructureConfig().redisUrl }),
        },
      ],
      exports: [REDIS_CLIENT],
    };
  }

  onModuleInit(): void {
    this.watchConnection();
    this.readiness.register('redis', redisCheck(this.redis));
  }

  // Quit last (onApplicationShutdown), after other modules' destroy hooks have finished the work that uses Redis.
  async onApplicationShutdown(): Promise<void> {
    const quit = this.redis.quit().then(
      () => undefined,
      () => undefined,
    );
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS).unref());
    await Promise.race([quit, timeout]);
    // QUIT cannot complete on a dead connection; disconnect stops the reconnection loop so the process can exit.
    this.redis.disconnect();
  }

  // ioredis emits 'error' on every failed reconnection: without a listener each one is printed as unhandled, and
  // logging them all would flood the log during an outage, so only the changes of state are logged.
  private watchConnection(): void {
    let healthy = true;
    this.redis.on('error', (error: Error) => {
      if (!healthy) return;
      healthy = false;
      this.logger.warn(`Redis connection failed: ${error.message || error.name}; reconnecting`);
    });
    this.redis.on('ready', () => {
      if (!healthy) this.logger.log('Redis connection restored');
      healthy = true;
    });
  }
}
